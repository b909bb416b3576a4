package cn.chuangzheng;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The binding's tests: a small main-based runner (no JUnit here) that runs every test, prints
 * each outcome and exits 1 if any failed.
 *
 * <p>Environment: {@code CZ_LIB_DIR} (the library, read by {@link LibraryLoader}; unneeded with
 * the jar on the class path, which bundles it),
 * {@code CZ_SCENARIO_DIR} (commands.jsonl and report.json, optionally report.txt, report.html and
 * journal.jsonl) and {@code CZ_REPO} (the repository: the header and examples/seed-claims.json).
 */
public final class BindingTest {
    private static final CzLibrary LIB = CzLibrary.INSTANCE;
    private static final LocalDate AS_OF = LocalDate.of(2010, 10, 31);

    private static Path repo;
    private static Path scenario;
    private static String commands;
    private static Object expectedReport;
    private static String info;
    /** A snapshot of the scenario city after the import: fresh copies for tests that write. */
    private static String baseSnapshot;

    public static void main(String[] args) throws Exception {
        repo = Path.of(env("CZ_REPO", "../..")).toAbsolutePath().normalize();
        scenario = Path.of(env("CZ_SCENARIO_DIR", repo.resolve("target/bindings-scenario").toString()));
        commands = read(scenario.resolve("commands.jsonl"));
        expectedReport = Json.parse(read(scenario.resolve("report.json")));
        info = Json.write(((Map<?, ?>) expectedReport).get("campaign"));

        Map<String, ThrowingRunnable> tests = new LinkedHashMap<>();
        tests.put("version and header", BindingTest::versionAndHeader);
        tests.put("scenario: import then report equals report.json", BindingTest::scenario);
        tests.put("report formats and scopes", BindingTest::reportFormats);
        tests.put("report attribution: a village moved between townships", BindingTest::reportAttribution);
        tests.put("report xlsx: a zip workbook, the same bytes each time, refusals", BindingTest::reportXlsx);
        tests.put("import xlsx: rows, refusals by sheet, row and column, unreadable", BindingTest::importXlsx);
        tests.put("figures: two townships merged, the merge's report their sum", BindingTest::figuresMerge);
        tests.put("figures: merges and reports refused (5004-5007)", BindingTest::figuresRefusals);
        tests.put("figures: the merge's report as a workbook", BindingTest::figuresXlsx);
        tests.put("open read-only: torn tail reported, file unchanged, commands refused (4016)", BindingTest::openReadOnly);
        tests.put("binary snapshot: saved, loaded read-only, skipped when damaged, refused (4016, 4017)", BindingTest::binarySnapshot);
        tests.put("binary snapshot every N records: a failure told once (4001), the record kept", BindingTest::snapshotEvery);
        tests.put("snapshot round trip", BindingTest::snapshotRoundTrip);
        tests.put("replay of journal text", BindingTest::replay);
        tests.put("verify a journal against its anchors", BindingTest::verifyJournal);
        tests.put("checkpoints: HMAC-SM3 and SM2, wrong key, unsigned tail", BindingTest::checkpoints);
        tests.put("checkpoints: bad algorithms and keys", BindingTest::checkpointArguments);
        tests.put("create, open, 4002 on existing file", BindingTest::createAndOpen);
        tests.put("execute: good, malformed, unknown id, second root", BindingTest::execute);
        tests.put("import: all or nothing, keep going", BindingTest::importModes);
        tests.put("state, seq, latest date", BindingTest::stateSeqLatestDate);
        tests.put("pledge json", BindingTest::pledge);
        tests.put("member evaluation json", BindingTest::memberEvaluation);
        tests.put("audit json", BindingTest::audit);
        tests.put("typed fast paths", BindingTest::typedFastPaths);
        tests.put("errors carry code and both messages", BindingTest::errorMessages);
        tests.put("null arguments", BindingTest::nulls);
        tests.put("UTF-8: encoding, invalid bytes, NUL, surrogates", BindingTest::utf8);
        tests.put("close: idempotent, use after close", BindingTest::close);
        tests.put("threads: concurrent records on one campaign", BindingTest::threads);
        tests.put("threads: close waits for calls in flight", BindingTest::concurrentClose);

        int failed = 0;
        for (Map.Entry<String, ThrowingRunnable> t : tests.entrySet()) {
            long start = System.nanoTime();
            try {
                t.getValue().run();
                System.out.printf("ok    %s (%d ms)%n", t.getKey(), (System.nanoTime() - start) / 1_000_000);
            } catch (Throwable e) {
                failed++;
                System.out.printf("FAIL  %s%n", t.getKey());
                e.printStackTrace(System.out);
            }
        }
        System.out.printf("%d tests, %d failed%n", tests.size(), failed);
        System.exit(failed == 0 ? 0 : 1);
    }

    // ---- the tests -------------------------------------------------------------------------

    static void versionAndHeader() throws Exception {
        equal(Chuangzheng.bindingVersion(), Chuangzheng.version(), "cz_version vs the macros");
        Path header = repo.resolve("include/chuangzheng.h");
        if (!Files.exists(header)) {
            System.out.println("      (no header at " + header + ": header checks skipped)");
            return;
        }
        String h = read(header);
        Matcher m = Pattern.compile("(?m)^#define CZ_(\\w+) (\\d+)\\s*$").matcher(h);
        int constants = 0;
        while (m.find()) {
            int value = Chuangzheng.class.getField(m.group(1)).getInt(null);
            equal(Integer.parseInt(m.group(2)), value, "constant CZ_" + m.group(1));
            constants++;
        }
        check(constants >= 14, "found the header's constants: " + constants);
        // Every function of the header is declared, with the same number of parameters.
        Map<String, Integer> declared = new LinkedHashMap<>();
        for (Method method : CzLibrary.class.getDeclaredMethods()) {
            if (method.getName().startsWith("cz_")) {
                declared.put(method.getName(), method.getParameterCount());
            }
        }
        Matcher f = Pattern.compile("(?m)^[a-z][\\w *]*?\\b(cz_\\w+)\\(([^)]*)\\);").matcher(h);
        Set<String> inHeader = new TreeSet<>();
        while (f.find()) {
            String params = f.group(2).trim();
            int n = params.equals("void") ? 0 : params.split(",").length;
            inHeader.add(f.group(1));
            equal(n, declared.get(f.group(1)), "parameters of " + f.group(1));
        }
        equal(inHeader, new TreeSet<>(declared.keySet()), "functions declared vs the header");
    }

    static void scenario() {
        try (Campaign c = Campaign.newInMemory(info, null)) {
            String result = c.importCommands(commands, false);
            Map<?, ?> r = (Map<?, ?>) Json.parse(result);
            long lines = commands.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
            equal(num(lines), r.get("recorded"), "recorded");
            equal(List.of(), r.get("refused"), "refused");
            equal(num(c.seq()), r.get("seq"), "seq");
            baseSnapshot = c.snapshotJson(); // the other tests start from this city
            String json = c.report(null, null, AS_OF, Format.JSON);
            sameJson(expectedReport, Json.parse(json), "report");
        }
    }

    static void reportFormats() throws IOException {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            String text = c.report(null, null, AS_OF, Format.TEXT);
            String html = c.report(null, null, AS_OF, Format.HTML);
            check(text.contains("阶段点评报告"), "the text report is the Chinese text");
            check(html.startsWith("<!DOCTYPE html>"), "the HTML page");
            Path txt = scenario.resolve("report.txt");
            if (Files.exists(txt)) {
                equal(read(txt), text, "report.txt");
            }
            Path page = scenario.resolve("report.html");
            if (Files.exists(page)) {
                equal(read(page), html, "report.html");
            }
            // Defaults: as_of null is the latest date recorded (2010-10-31 here).
            sameJson(expectedReport, Json.parse(c.report(null, null, null, Format.JSON)), "defaults");
            // A scope and a range.
            Map<?, ?> t01 = (Map<?, ?>) Json.parse(
                    c.report("t-01", LocalDate.of(2010, 7, 1), AS_OF, Format.JSON));
            equal("t-01", ((Map<?, ?>) t01.get("scope")).get("org"), "scope");
            equal("2010-07-01", t01.get("from"), "from");
            expectCode(3002, () -> c.report("no-such-org", null, null, Format.JSON));
            // The raw call with an unknown format.
            PointerByReference out = new PointerByReference();
            Pointer h = rawCampaign();
            try {
                equal(Chuangzheng.INVALID_ARGUMENT, LIB.cz_campaign_report(h, null, null, null, 7, out), "format 7");
                equal(null, out.getValue(), "no output on failure");
                equal(Chuangzheng.INVALID_ARGUMENT,
                        LIB.cz_campaign_report(h, null, null, "2010-02-30", 0, out), "2010-02-30");
            } finally {
                LIB.cz_campaign_free(h);
            }
        }
    }

    /**
     * A small city whose village v-1 moves from township t-a to t-b mid-span, with a reception
     * before the move and one after: the two readings place them differently in the townships
     * and alike at the root.
     */
    static void reportAttribution() {
        LocalDate move = LocalDate.of(2010, 7, 1);
        // The village's receptions: date and visitors, one on each side of the move.
        Map<LocalDate, Integer> receptions = new LinkedHashMap<>();
        receptions.put(LocalDate.of(2010, 6, 1), 3);
        receptions.put(LocalDate.of(2010, 8, 1), 5);
        List<String> lines = new ArrayList<>(List.of(
                at("2010-05-01", "city", "create_org",
                        "{\"id\":\"city\",\"name\":\"东港市委\",\"kind\":\"city_committee\"}"),
                at("2010-05-01", "city", "create_org",
                        "{\"id\":\"t-a\",\"name\":\"甲镇党委\",\"kind\":\"township_committee\",\"parent\":\"city\"}"),
                at("2010-05-01", "city", "create_org",
                        "{\"id\":\"t-b\",\"name\":\"乙镇党委\",\"kind\":\"township_committee\",\"parent\":\"city\"}"),
                at("2010-05-01", "t-a", "create_org",
                        "{\"id\":\"v-1\",\"name\":\"大鹿村党支部\",\"kind\":\"village\",\"parent\":\"t-a\"}"),
                at("2010-05-01", "v-1", "add_member",
                        "{\"id\":\"m-1\",\"org\":\"v-1\",\"category\":\"farmer\",\"role\":\"secretary\"}"),
                at(move.toString(), "city", "move_org", "{\"org\":\"v-1\",\"parent\":\"t-b\"}")));
        receptions.forEach((day, visitors) -> lines.add(at(day.toString(), "v-1", "record_reception",
                "{\"village\":\"v-1\",\"cadres\":[\"m-1\"],\"visitors\":" + visitors + "}")));
        // Date order, as the journal wants (stable: same-day lines keep their order).
        lines.sort(java.util.Comparator.comparing((String l) -> (String) ((Map<?, ?>) Json.parse(l)).get("at")));
        int before = 0, after = 0, visitorsBefore = 0, visitorsAfter = 0;
        for (Map.Entry<LocalDate, Integer> r : receptions.entrySet()) {
            if (r.getKey().isBefore(move)) {
                before++;
                visitorsBefore += r.getValue();
            } else {
                after++;
                visitorsAfter += r.getValue();
            }
        }
        check(before > 0 && after > 0, "receptions on both sides of the move");

        try (Campaign c = Campaign.newInMemory("{\"id\":\"moves\",\"name\":\"村党支部迁移测试\"}", null)) {
            equal(List.of(), ((Map<?, ?>) Json.parse(c.importCommands(String.join("\n", lines), false)))
                    .get("refused"), "the scenario is accepted");
            Map<String, Map<?, ?>> figures = new LinkedHashMap<>();
            for (String scope : Arrays.asList(null, "t-a", "t-b")) {
                for (Attribution by : Attribution.values()) {
                    Map<?, ?> r = (Map<?, ?>) Json.parse(c.report(scope, null, AS_OF, Format.JSON, by));
                    equal(by.name().toLowerCase(java.util.Locale.ROOT), r.get("attribution"), "attribution of " + scope);
                    figures.put(scope + "/" + by, (Map<?, ?>) r.get("figures"));
                }
            }
            // As of 2010-10-31 v-1 sits under t-b and brings its earlier reception along; the
            // historical reading leaves each reception where the village stood on its day.
            int[][] expected = {
                {0, 0, before + after, visitorsBefore + visitorsAfter}, // AS_OF: t-a, t-b
                {before, visitorsBefore, after, visitorsAfter}, // HISTORICAL: t-a, t-b
            };
            for (Attribution by : Attribution.values()) {
                int[] e = expected[by.ordinal()];
                Map<?, ?> ta = figures.get("t-a/" + by);
                Map<?, ?> tb = figures.get("t-b/" + by);
                Map<?, ?> root = figures.get("null/" + by);
                equal(num(e[0]), ta.get("m123.receptions"), "t-a receptions " + by);
                equal(num(e[1]), ta.get("m123.visitors_received"), "t-a visitors " + by);
                equal(num(e[2]), tb.get("m123.receptions"), "t-b receptions " + by);
                equal(num(e[3]), tb.get("m123.visitors_received"), "t-b visitors " + by);
                for (String key : List.of("m123.receptions", "m123.visitors_received")) {
                    equal(((BigDecimal) ta.get(key)).add((BigDecimal) tb.get(key)), root.get(key),
                            "t-a + t-b = the city, " + key + " " + by);
                }
                // A stock (the secretary) stands where it is on the as-of date in both readings.
                equal(num(0), ta.get("m123.secretaries"), "t-a secretaries " + by);
                equal(num(1), tb.get("m123.secretaries"), "t-b secretaries " + by);
            }
            for (String scope : List.of("t-a", "t-b")) {
                check(!figures.get(scope + "/AS_OF").get("m123.receptions")
                        .equals(figures.get(scope + "/HISTORICAL").get("m123.receptions")),
                        scope + ": the readings differ");
            }
            sameJson(figures.get("null/AS_OF"), figures.get("null/HISTORICAL"), "the city under both readings");
            equal(num(receptions.size()), figures.get("null/AS_OF").get("m123.receptions"), "the city's receptions");
            // The four-argument report is the as-of reading.
            sameJson(Json.parse(c.report("t-b", null, AS_OF, Format.JSON, Attribution.AS_OF)),
                    Json.parse(c.report("t-b", null, AS_OF, Format.JSON)), "report() is AS_OF");
            expectThrows(NullPointerException.class, () -> c.report(null, null, AS_OF, Format.JSON, null));
        }
        // The raw call with an unknown attribution: refused, nothing written.
        Pointer h = rawCampaign();
        try {
            PointerByReference out = new PointerByReference();
            equal(Chuangzheng.INVALID_ARGUMENT, LIB.cz_campaign_report_with(h, null, null, null,
                    Chuangzheng.FORMAT_JSON, 7, out), "attribution 7");
            equal(Chuangzheng.INVALID_ARGUMENT, LIB.cz_last_error_code(), "last error code");
            check(LIB.cz_last_error_message().contains("attribution"), "the message names attribution");
            equal(null, out.getValue(), "no output on failure");
        } finally {
            LIB.cz_campaign_free(h);
        }
    }

    /** The first bytes of every zip file, and so of every .xlsx workbook: a local file header. */
    static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    /**
     * The stage report as a workbook: a valid zip file holding the workbook's parts, the same
     * bytes for the same report (and the bytes the Rust tool wrote as report.xlsx, when the
     * scenario has one), refused as the text report is, and through the raw calls with both
     * outputs untouched on failure.
     */
    /** A minimal .xlsx of one sheet named {@code sheet}: the visits template's headers, then rows. */
    static byte[] visitsWorkbook(String sheet, String[]... rows) throws IOException {
        String ns = "http://schemas.openxmlformats.org";
        StringBuilder body = new StringBuilder();
        String[] head = {"日期", "填报单位编号", "走访干部编号", "困难户编号"};
        List<String[]> all = new java.util.ArrayList<>();
        all.add(head);
        all.addAll(List.of(rows));
        for (int r = 0; r < all.size(); r++) {
            body.append("<row r=\"").append(r + 1).append("\">");
            for (int c = 0; c < all.get(r).length; c++) {
                String v = all.get(r)[c];
                if (!v.isEmpty()) {
                    body.append("<c r=\"").append("ABCD".charAt(c)).append(r + 1)
                            .append("\" t=\"inlineStr\"><is><t>").append(v).append("</t></is></c>");
                }
            }
            body.append("</row>");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", "<Types xmlns=\"" + ns + "/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
        parts.put("_rels/.rels", "<Relationships xmlns=\"" + ns + "/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\""
                + ns + "/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        parts.put("xl/workbook.xml", "<workbook xmlns=\"" + ns + "/spreadsheetml/2006/main\" xmlns:r=\"" + ns
                + "/officeDocument/2006/relationships\"><sheets><sheet name=\"" + sheet + "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        parts.put("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"" + ns + "/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\""
                + ns + "/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
        parts.put("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" + ns + "/spreadsheetml/2006/main\"><sheetData>" + body + "</sheetData></worksheet>");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            for (Map.Entry<String, String> p : parts.entrySet()) {
                z.putNextEntry(new java.util.zip.ZipEntry(p.getKey()));
                z.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + p.getValue()).getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static void importXlsx() throws IOException {
        String[] good = {"2010-11-02", "v-001", "m-000001", "h-v-001-00"};
        String[] bad = {"2010-02-30", "v-001", "m-000001", "h-v-001-00"};
        byte[] book = visitsWorkbook("走访登记", good, bad);
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            long seq = c.seq();
            ChuangzhengException e = expectCode(6004, () -> c.importXlsx(book, null, false));
            check(e instanceof ImportRefusedException, "an ImportRefusedException");
            check(e.getMessage().startsWith("「走访登记」第3行「日期」："), e.getMessage());
            check(e.getMessage().contains("row 3 column 日期"), e.getMessage());
            equal(seq, c.seq(), "all or nothing: nothing recorded");
            Map<?, ?> result = (Map<?, ?>) Json.parse(c.importXlsx(book, null, true));
            equal(1L, ((Number) result.get("recorded")).longValue(), "recorded with keepGoing");
            equal(seq + 1, c.seq(), "one row recorded");
            Map<?, ?> refusal = (Map<?, ?>) ((List<?>) result.get("refused")).get(0);
            equal("走访登记", refusal.get("sheet"), "sheet");
            equal(3L, ((Number) refusal.get("row")).longValue(), "row");
            equal("日期", refusal.get("column"), "column");
            // Blank 填报单位编号 acts as the actor given.
            byte[] blank = visitsWorkbook("走访登记", new String[] {"2010-11-03", "", "m-000001", "h-v-001-00"});
            c.importXlsx(blank, "v-001", false);
            equal(seq + 2, c.seq(), "the actor's row recorded");
            // A CSV is no workbook: refused whole, nothing changes.
            byte[] csv = "日期,填报单位编号\n2010-11-02,v-001\n".getBytes(StandardCharsets.UTF_8);
            expectCode(6001, () -> c.importXlsx(csv, null, false));
            expectCode(6001, () -> c.importXlsx(new byte[0], null, false));
            equal(seq + 2, c.seq(), "nothing recorded by an unreadable workbook");
            expectThrows(NullPointerException.class, () -> c.importXlsx(null, null, false));
        }
    }

    static void reportXlsx() throws IOException {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            byte[] xlsx = c.reportXlsx(null, null, AS_OF, Attribution.AS_OF);
            check(xlsx.length > 1000, "a workbook, not a stub: " + xlsx.length + " bytes");
            check(Arrays.equals(ZIP_MAGIC, Arrays.copyOf(xlsx, 4)), "starts with PK\\3\\4");
            Set<String> entries = zipEntries(xlsx);
            for (String part : List.of("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml")) {
                check(entries.contains(part), part + " among the entries " + entries);
            }
            // Deterministic: the same report, the same bytes; the three-argument form is AS_OF and
            // null asOf the latest date recorded (2010-10-31 here).
            check(Arrays.equals(xlsx, c.reportXlsx(null, null, AS_OF, Attribution.AS_OF)), "the same bytes again");
            check(Arrays.equals(xlsx, c.reportXlsx(null, null, null)), "reportXlsx(null, null, null)");
            Path demo = scenario.resolve("report.xlsx");
            if (Files.exists(demo)) {
                check(Arrays.equals(Files.readAllBytes(demo), xlsx), "the bytes of " + demo);
            }
            // Another scope, span and reading: another workbook, as valid.
            byte[] t01 = c.reportXlsx("t-01", LocalDate.of(2010, 7, 1), AS_OF, Attribution.HISTORICAL);
            check(zipEntries(t01).contains("xl/workbook.xml"), "t-01's workbook");
            check(!Arrays.equals(xlsx, t01), "t-01's workbook is its own");
            // An unknown scope: the code and message the text report gives for it.
            ChuangzhengException text = expectCode(3002,
                    () -> c.report("no-such-org", null, null, Format.JSON, Attribution.AS_OF));
            ChuangzhengException e = expectCode(text.code(), () -> c.reportXlsx("no-such-org", null, null));
            equal(text.getMessage(), e.getMessage(), "the same message as report()");
            expectCode(3002, () -> c.reportXlsx("no-such-org", null, null, Attribution.HISTORICAL));
            expectCode(Chuangzheng.INVALID_ARGUMENT, () -> c.reportXlsx(null, LocalDate.of(2010, 11, 1), AS_OF));
            expectThrows(NullPointerException.class, () -> c.reportXlsx(null, null, AS_OF, null));
            expectThrows(IllegalArgumentException.class, () -> c.reportXlsx("t-01\u0000", null, null));
        }
        try (Campaign empty = Campaign.newInMemory(info, null)) {
            expectCode(Chuangzheng.NO_RECORD, () -> empty.reportXlsx(null, null, null));
        }
        // The raw calls: refusals leave *bytes_out and *len_out as they were; the bytes are freed
        // with their length, and NULL is nothing to free.
        Pointer h = rawCampaign();
        try {
            PointerByReference out = new PointerByReference();
            CzLibrary.SizeTByReference len = new CzLibrary.SizeTByReference(12345);
            equal(Chuangzheng.INVALID_ARGUMENT, LIB.cz_campaign_report_xlsx(h, null, null, null, 7, out, len),
                    "attribution 7");
            check(LIB.cz_last_error_message().contains("attribution"), "the message names attribution");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_report_xlsx(h, null, null, null,
                    Chuangzheng.ATTRIBUTION_AS_OF, null, len), "bytes_out NULL");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_report_xlsx(h, null, null, null,
                    Chuangzheng.ATTRIBUTION_AS_OF, out, null), "len_out NULL");
            equal(3002, LIB.cz_campaign_report_xlsx(h, "no-such-org", null, null,
                    Chuangzheng.ATTRIBUTION_AS_OF, out, len), "an unknown scope");
            equal(null, out.getValue(), "bytes_out untouched");
            equal(12345L, len.getValue(), "len_out untouched");
            LIB.cz_bytes_free(null, new CzLibrary.SizeT(0));
            equal(Chuangzheng.OK, LIB.cz_campaign_report_xlsx(h, null, null, null,
                    Chuangzheng.ATTRIBUTION_AS_OF, out, len), "the raw call");
            try {
                check(out.getValue() != null && len.getValue() > 1000, "bytes and their length");
                byte[] raw = out.getValue().getByteArray(0, (int) len.getValue());
                try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
                    check(Arrays.equals(c.reportXlsx(null, null, null), raw), "the wrapper's bytes are the raw call's");
                }
            } finally {
                LIB.cz_bytes_free(out.getValue(), new CzLibrary.SizeT(len.getValue()));
            }
        } finally {
            LIB.cz_campaign_free(h);
        }
    }

    /** The {@code "figures"} of a JSON report. */
    static Map<?, ?> figuresOf(String reportJson) {
        return (Map<?, ?>) ((Map<?, ?>) Json.parse(reportJson)).get("figures");
    }

    /** The organizations of a figures document's scopes, in its order. */
    static List<Object> scopesOf(String figuresJson) {
        List<Object> orgs = new ArrayList<>();
        for (Object scope : (List<?>) ((Map<?, ?>) Json.parse(figuresJson)).get("scopes")) {
            orgs.add(((Map<?, ?>) scope).get("org"));
        }
        return orgs;
    }

    /**
     * Two townships' figures, carried as JSON and merged: every count of the merge's report is
     * the sum of the townships' own reports, and its rates are computed from the summed counts,
     * never averaged. One scope's figures report as the campaign reports that scope.
     */
    static void figuresMerge() {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            String t01 = c.figures("t-01", null, AS_OF, Attribution.AS_OF);
            String t02 = c.figures("t-02", null, AS_OF);
            Map<?, ?> doc = (Map<?, ?>) Json.parse(t01);
            equal("chuangzheng.stage_figures", doc.get("format"), "format");
            equal(num(1), doc.get("version"), "version");
            equal(AS_OF.toString(), doc.get("as_of"), "as_of");
            equal("as_of", doc.get("attribution"), "attribution");
            equal(List.of("t-01"), scopesOf(t01), "the scope");
            // The same figures again; the three-argument form is AS_OF.
            equal(t01, c.figures("t-01", null, AS_OF, Attribution.AS_OF), "the same JSON again");
            equal("historical", ((Map<?, ?>) Json.parse(
                    c.figures("t-01", null, AS_OF, Attribution.HISTORICAL))).get("attribution"), "historical");
            // One scope's figures give the figures of the campaign's report of it; the root's,
            // the scenario's report.json.
            Map<?, ?> r01 = figuresOf(c.report("t-01", null, AS_OF, Format.JSON));
            Map<?, ?> r02 = figuresOf(c.report("t-02", null, AS_OF, Format.JSON));
            sameJson(r01, figuresOf(Chuangzheng.figuresReport(t01, Format.JSON)), "t-01 from its figures");
            sameJson(((Map<?, ?>) expectedReport).get("figures"),
                    figuresOf(Chuangzheng.figuresReport(c.figures(null, null, null), Format.JSON)),
                    "the city from its figures");

            String merged = Chuangzheng.mergeFigures(List.of(t01, t02), null);
            equal(List.of("t-01", "t-02"), scopesOf(merged), "the merge's scopes");
            Map<?, ?> sum = figuresOf(Chuangzheng.figuresReport(merged, Format.JSON));
            equal(new TreeSet<>(stringKeys(r01)), new TreeSet<>(stringKeys(sum)), "the merge's figures");
            int counts = 0;
            for (Object key : sum.keySet()) {
                Object value = sum.get(key);
                if (value instanceof BigDecimal) { // a count; rates and amounts are strings
                    equal(((BigDecimal) r01.get(key)).add((BigDecimal) r02.get(key)), value, key + ": t-01 + t-02");
                    counts++;
                }
            }
            check(counts > 50, "counts compared: " + counts);
            BigDecimal total = (BigDecimal) sum.get("pledge.practical.total");
            BigDecimal completed = (BigDecimal) sum.get("pledge.practical.completed");
            check(total.signum() > 0, "practical pledges in the two townships");
            equal(completed.divide(total, 4, RoundingMode.HALF_UP).toPlainString(),
                    sum.get("pledge.practical.completion_rate"), "the rate of the summed counts");
            // The order of the documents does not matter; a merge merges again.
            equal(merged, Chuangzheng.mergeFigures(List.of(t02, t01), null), "t-02 and t-01");
            String s01 = c.figures("s-01", null, AS_OF);
            equal(Chuangzheng.mergeFigures(List.of(t01, t02, s01), null),
                    Chuangzheng.mergeFigures(List.of(merged, s01), null), "a merge of a merge");
            // Text and page: the two townships each a row of 附表一.
            String text = Chuangzheng.figuresReport(merged, Format.TEXT);
            check(text.contains("阶段点评报告"), "the text report");
            check(text.contains("第1镇党委") && text.contains("第2镇党委"), "a row per township");
            check(Chuangzheng.figuresReport(merged, Format.HTML).startsWith("<!DOCTYPE html>"), "the HTML page");
            // A title names the whole.
            String titled = Chuangzheng.mergeFigures(List.of(t01, t02), "两镇合计");
            check(Chuangzheng.figuresReport(titled, Format.TEXT).contains("两镇合计"), "the title in the report");
        }
    }

    static void figuresRefusals() {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            String t01 = c.figures("t-01", null, AS_OF);
            String t02 = c.figures("t-02", null, AS_OF);
            // Overlapping scopes (5006): the same township twice, the city and a township in it,
            // a township and a village in it.
            ChuangzhengException e = expectCode(5006, () -> Chuangzheng.mergeFigures(List.of(t01, t01), null));
            check(e.messageEn().contains("t-01"), e.getMessage());
            expectCode(5006, () -> Chuangzheng.mergeFigures(List.of(c.figures(null, null, AS_OF), t02), null));
            expectCode(5006, () -> Chuangzheng.mergeFigures(List.of(t01, c.figures("v-001", null, AS_OF)), null));
            // Other terms (5005): another as-of date, another start, another reading.
            e = expectCode(5005, () -> Chuangzheng.mergeFigures(
                    List.of(t01, c.figures("t-02", null, LocalDate.of(2010, 9, 30))), null));
            check(e.messageEn().contains("as_of") && e.messageEn().contains("2010-09-30"), e.getMessage());
            expectCode(5005, () -> Chuangzheng.mergeFigures(
                    List.of(t01, c.figures("t-02", LocalDate.of(2010, 7, 1), AS_OF)), null));
            expectCode(5005, () -> Chuangzheng.mergeFigures(
                    List.of(t01, c.figures("t-02", null, AS_OF, Attribution.HISTORICAL)), null));
            // Documents that cannot be read (5004), named by their place in the list.
            e = expectCode(5004, () -> Chuangzheng.mergeFigures(List.of(t01, "garbage"), null));
            check(e.getMessage().contains("docs[1]"), e.getMessage());
            expectCode(5004, () -> Chuangzheng.mergeFigures(List.of(), null));
            expectCode(5004, () -> Chuangzheng.mergeFigures(List.of("{}"), null));
            String other = t01.replace("chuangzheng.stage_figures", "chuangzheng.other");
            check(!other.equals(t01), "another format");
            expectCode(5004, () -> Chuangzheng.mergeFigures(List.of(other), null));
            expectCode(5004, () -> Chuangzheng.figuresReport("garbage", Format.JSON));
            expectCode(5004, () -> Chuangzheng.figuresReport(other, Format.TEXT));
            expectCode(5004, () -> Chuangzheng.figuresReportXlsx("{}"));
            // Scopes without a common parent (a township, a village of another) merge, but their
            // report needs a title (5007).
            String loose = Chuangzheng.mergeFigures(List.of(t01, c.figures("v-002", null, AS_OF)), null);
            expectCode(5007, () -> Chuangzheng.figuresReport(loose, Format.TEXT));
            expectCode(5007, () -> Chuangzheng.figuresReportXlsx(loose));
            String titled = Chuangzheng.mergeFigures(List.of(t01, c.figures("v-002", null, AS_OF)), "抽查合计");
            check(Chuangzheng.figuresReport(titled, Format.TEXT).contains("抽查合计"), "reported under its title");
            // A title the library cannot take as a name (its code is the name's).
            e = expectError(() -> Chuangzheng.mergeFigures(List.of(t01, t02), ""));
            check(e.messageEn().contains("title"), e.getMessage());
            expectCode(3002, () -> c.figures("no-such-org", null, AS_OF));
            // Java's own checks.
            expectThrows(NullPointerException.class, () -> Chuangzheng.mergeFigures(null, null));
            expectThrows(NullPointerException.class, () -> Chuangzheng.mergeFigures(Arrays.asList(t01, null), null));
            expectThrows(IllegalArgumentException.class, () -> Chuangzheng.mergeFigures(List.of(t01, t02), "a\u0000b"));
            expectThrows(NullPointerException.class, () -> Chuangzheng.figuresReport(null, Format.JSON));
            expectThrows(NullPointerException.class, () -> Chuangzheng.figuresReport(t01, null));
            expectThrows(NullPointerException.class, () -> Chuangzheng.figuresReportXlsx(null));
            expectThrows(NullPointerException.class, () -> c.figures("t-01", null, AS_OF, null));
            // The raw calls: refusals write nothing.
            PointerByReference out = new PointerByReference();
            equal(Chuangzheng.INVALID_ARGUMENT, LIB.cz_figures_report(t01, 7, out), "format 7");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_figures_merge(null, new CzLibrary.SizeT(1), null, out), "docs NULL");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_figures_report(null, Chuangzheng.FORMAT_JSON, out), "figures NULL");
            equal(null, out.getValue(), "no output on failure");
            CzLibrary.SizeTByReference len = new CzLibrary.SizeTByReference(12345);
            equal(5004, LIB.cz_figures_report_xlsx("{}", out, len), "an unreadable document");
            equal(null, out.getValue(), "bytes_out untouched");
            equal(12345L, len.getValue(), "len_out untouched");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_figures_report_xlsx(t01, out, null), "len_out NULL");
            Pointer h = rawCampaign();
            try {
                equal(Chuangzheng.INVALID_ARGUMENT, LIB.cz_campaign_figures(h, null, null, null, 7, out), "attribution 7");
                equal(null, out.getValue(), "no output on failure");
            } finally {
                LIB.cz_campaign_free(h);
            }
        }
    }

    static void figuresXlsx() throws IOException {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            String t01 = c.figures("t-01", null, AS_OF);
            String merged = Chuangzheng.mergeFigures(List.of(t01, c.figures("t-02", null, AS_OF)), null);
            byte[] xlsx = Chuangzheng.figuresReportXlsx(merged);
            check(xlsx.length > 1000, "a workbook, not a stub: " + xlsx.length + " bytes");
            check(Arrays.equals(ZIP_MAGIC, Arrays.copyOf(xlsx, 4)), "starts with PK\\3\\4");
            check(zipEntries(xlsx).contains("xl/workbook.xml"), "the workbook's parts");
            check(Arrays.equals(xlsx, Chuangzheng.figuresReportXlsx(merged)), "the same bytes again");
            check(!Arrays.equals(xlsx, Chuangzheng.figuresReportXlsx(t01)), "t-01's workbook is its own");
        }
    }

    static byte[] sha256(Path p) throws IOException, NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    /**
     * A journal opened read-only: a whole one, one a writer holds, and one ending with a torn
     * line, which is reported and left as it is (the file's bytes the same before and after),
     * where {@link Campaign#open} cuts it; every command refused with 4016.
     */
    static void openReadOnly() throws Exception {
        Path dir = Files.createTempDirectory("cz-java-read-only");
        try {
            Path file = dir.resolve("journal.jsonl");
            long seq;
            try (Campaign c = Campaign.create(file, info, null)) {
                c.importCommands(commands, false);
                seq = c.seq();
                // A writer holds the journal: a reader reads the records there.
                try (Campaign ro = Campaign.openReadOnly(file)) {
                    equal(new ReplayReport(seq, null), ro.replayReport(), "read beside the writer");
                }
            }
            try (Campaign ro = Campaign.openReadOnly(file); Campaign mem = Campaign.fromSnapshot(baseSnapshot)) {
                equal(new ReplayReport(seq, null), ro.replayReport(), "a whole journal");
                check(!ro.replayReport().torn(), "not torn");
                equal(seq, ro.seq(), "seq");
                sameJson(expectedReport, Json.parse(ro.report(null, null, AS_OF, Format.JSON)), "its report");
                equal(mem.figures("t-01", null, AS_OF), ro.figures("t-01", null, AS_OF), "its figures");
                equal(null, mem.replayReport(), "no replay report for a campaign not opened read-only");
            }

            // A write cut short: bytes without their newline at the end.
            long size = Files.size(file);
            byte[] tail = "{\"seq\":99999,\"at\":\"2010-11-".getBytes(StandardCharsets.UTF_8);
            Files.write(file, tail, StandardOpenOption.APPEND);
            byte[] before = sha256(file);
            try (Campaign ro = Campaign.openReadOnly(file)) {
                ReplayReport r = ro.replayReport();
                equal(new ReplayReport(seq, new ReplayReport.TornTail(size, tail.length)), r, "the torn tail");
                check(r.torn(), "torn");
                equal(seq, ro.seq(), "the records before it");
                String household = cmd("v-001", "register_household", "{\"id\":\"h-ro\",\"village\":\"v-001\"}");
                ChuangzhengException e = expectCode(4016, () -> ro.execute(household));
                check(e.getMessage().contains(file.getFileName().toString()), "the message names the journal: " + e.getMessage());
                expectCode(4016, () -> ro.recordVisit(AS_OF, "v-001", null, "m-000001", "h-v-001-00"));
                expectCode(4016, () -> ro.importCommands(household, true));
                expectCode(4016, () -> ro.checkpoint("hmac-sm3", HMAC, "test-key"));
                equal(seq, ro.seq(), "nothing recorded");
                sameJson(expectedReport, Json.parse(ro.report(null, null, AS_OF, Format.JSON)), "the report");
            }
            check(Arrays.equals(before, sha256(file)), "the file's bytes unchanged (SHA-256)");
            try (var files = Files.list(dir)) {
                equal(List.of(file), files.toList(), "nothing written beside the journal");
            }
            // The raw call without a report.
            PointerByReference out = new PointerByReference();
            equal(Chuangzheng.OK, LIB.cz_campaign_open_read_only(file.toString(), out, null), "report_out NULL");
            check(out.getValue() != null, "a handle");
            LIB.cz_campaign_free(out.getValue());
            check(Arrays.equals(before, sha256(file)), "unchanged by the raw call");
            // Opened to write, the same journal is cut and the torn bytes saved beside it.
            try (Campaign c = Campaign.open(file)) {
                equal(seq, c.seq(), "opened to write");
            }
            equal(size, Files.size(file), "open cut the torn tail");

            expectError(() -> Campaign.openReadOnly(dir.resolve("missing.jsonl")));
            expectThrows(NullPointerException.class, () -> Campaign.openReadOnly(null));
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * A binary snapshot beside a copy of the scenario's journal ({@link Campaign#saveSnapshot}):
     * written by a writer, loaded by a read-only open (the same figures), loaded with a record
     * after it replayed on top, and skipped with its reason when one byte of it is flipped (the
     * journal replayed whole, the same figures); refused on a read-only campaign (4016) and on
     * one without a journal file (4017).
     */
    static void binarySnapshot() throws Exception {
        Path dir = Files.createTempDirectory("cz-java-snapshot");
        try {
            Path file = scenarioJournal(dir);
            Path snapshot = dir.resolve("journal.jsonl.snapshot");
            long seq;
            String figures;
            try (Campaign c = Campaign.open(file)) {
                seq = c.seq();
                figures = c.figures(null, null, AS_OF);
                check(!Files.exists(snapshot), "no snapshot before one is saved");
                equal(seq, c.saveSnapshot(), "the records the snapshot holds");
                equal(seq, c.seq(), "a snapshot is no record");
            }
            check(seq > 0, "the scenario has records");
            check(Files.isRegularFile(snapshot), "the snapshot beside the journal");
            try (Campaign ro = Campaign.openReadOnly(file)) {
                equal(new ReplayReport(seq, null, seq, null), ro.replayReport(), "loaded from the snapshot");
                equal(seq, ro.seq(), "seq");
                equal(figures, ro.figures(null, null, AS_OF), "the figures");
                expectCode(4016, ro::saveSnapshot);
            }

            // A record after the snapshot: loaded from it, that record replayed on top.
            try (Campaign c = Campaign.open(file)) {
                equal(seq + 1, c.recordVisit(AS_OF, "v-001", null, "m-000001", "h-v-001-00"), "a record after it");
                figures = c.figures(null, null, AS_OF);
            }
            try (Campaign ro = Campaign.openReadOnly(file)) {
                equal(new ReplayReport(seq + 1, null, seq, null), ro.replayReport(), "the snapshot and one record");
                equal(figures, ro.figures(null, null, AS_OF), "the figures with the record");
            }

            // One byte flipped in the middle: skipped, the journal replayed whole.
            byte[] bytes = Files.readAllBytes(snapshot);
            bytes[bytes.length / 2] ^= (byte) 0xFF;
            Files.write(snapshot, bytes);
            try (Campaign ro = Campaign.openReadOnly(file)) {
                ReplayReport r = ro.replayReport();
                equal(seq + 1, r.records(), "records");
                equal(null, r.snapshot(), "no snapshot loaded");
                check(r.snapshotSkipped() != null && r.snapshotSkipped().contains("checksum"),
                        "the reason names the checksum: " + r.snapshotSkipped());
                equal(null, r.tornTail(), "no torn tail");
                equal(seq + 1, ro.seq(), "seq");
                equal(figures, ro.figures(null, null, AS_OF), "the figures from the whole journal");
            }
            check(Arrays.equals(bytes, Files.readAllBytes(snapshot)), "a skipped snapshot is left in place");

            // Without a journal file there is nowhere to put one: 4017, nothing changed.
            try (Campaign mem = Campaign.fromSnapshot(baseSnapshot);
                    Campaign empty = Campaign.newInMemory(info, null);
                    Campaign replayed = Campaign.replay(read(file))) {
                for (Campaign c : List.of(mem, empty, replayed)) {
                    long before = c.seq();
                    expectCode(4017, c::saveSnapshot);
                    equal(before, c.seq(), "nothing recorded");
                }
            }
            // The raw call takes a NULL seq_out.
            PointerByReference out = new PointerByReference();
            equal(Chuangzheng.OK, LIB.cz_campaign_open(file.toString(), out), "raw open");
            try {
                Files.delete(snapshot);
                equal(Chuangzheng.OK, LIB.cz_campaign_save_snapshot(out.getValue(), null), "seq_out NULL");
                check(Files.isRegularFile(snapshot), "written by the raw call");
            } finally {
                LIB.cz_campaign_free(out.getValue());
            }
            try (Campaign ro = Campaign.openReadOnly(file)) {
                equal(new ReplayReport(seq + 1, null, seq + 1, null), ro.replayReport(), "the raw call's snapshot");
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** A copy of the scenario's journal in {@code dir} ({@code journal.jsonl}). */
    static Path scenarioJournal(Path dir) throws IOException {
        Path source = scenario.resolve("journal.jsonl");
        Path file = dir.resolve("journal.jsonl");
        if (Files.exists(source)) {
            Files.copy(source, file);
        } else { // a scenario directory without the CLI's journal: the same city, written here
            try (Campaign c = Campaign.create(file, info, null)) {
                c.importCommands(commands, false);
            }
        }
        return file;
    }

    /**
     * A snapshot written by itself after every record ({@link Campaign#setSnapshotEvery}): one
     * that cannot be written (a directory where its temporary file goes) fails no record and is
     * told once by {@link Campaign#takeSnapshotError} (4001, naming the snapshot); once the way
     * is clear the next record writes it, and a read-only open loads it. 0 accepted, a negative
     * count refused, both methods refused once closed.
     */
    static void snapshotEvery() throws Exception {
        Path dir = Files.createTempDirectory("cz-java-snapshot-every");
        try {
            Path file = scenarioJournal(dir);
            Path snapshot = dir.resolve("journal.jsonl.snapshot");
            Path tmp = dir.resolve("journal.jsonl.snapshot.tmp");
            long seq;
            Campaign closed;
            try (Campaign c = Campaign.open(file)) {
                closed = c;
                seq = c.seq();
                equal(Optional.empty(), c.takeSnapshotError(), "nothing failed yet");
                c.setSnapshotEvery(1);
                Files.createDirectory(tmp); // the snapshot cannot be written
                equal(seq + 1, c.execute(cmd("v-001", "register_household", "{\"id\":\"h-auto\",\"village\":\"v-001\"}")),
                        "a failed snapshot fails no record");
                check(!Files.exists(snapshot), "no snapshot written");
                Optional<ChuangzhengException> failed = c.takeSnapshotError();
                check(failed.isPresent(), "the failure told");
                ChuangzhengException e = failed.get();
                equal(4001, e.code(), "its code: " + e);
                check(e.messageEn().contains("snapshot"), "its message names the snapshot: " + e.getMessage());
                checkBilingual(e);
                equal(Optional.empty(), c.takeSnapshotError(), "told once");
                Files.delete(tmp);
                equal(seq + 2, c.execute(cmd("v-001", "register_household", "{\"id\":\"h-auto2\",\"village\":\"v-001\"}")),
                        "the next record");
                equal(Optional.empty(), c.takeSnapshotError(), "written this time");
                check(Files.isRegularFile(snapshot), "the snapshot beside the journal");
                c.setSnapshotEvery(0);
                c.setSnapshotEvery(Long.MAX_VALUE);
                expectThrows(IllegalArgumentException.class, () -> c.setSnapshotEvery(-1));
                expectThrows(IllegalArgumentException.class, () -> c.setSnapshotEvery(Long.MIN_VALUE));
            }
            expectThrows(IllegalStateException.class, () -> closed.setSnapshotEvery(1));
            expectThrows(IllegalStateException.class, closed::takeSnapshotError);
            try (Campaign ro = Campaign.openReadOnly(file)) {
                equal(new ReplayReport(seq + 2, null, seq + 2, null), ro.replayReport(), "loaded from the snapshot written by itself");
                equal(seq + 2, ro.seq(), "seq");
                equal(Optional.empty(), ro.takeSnapshotError(), "read-only: nothing failed");
            }
            // The raw calls refuse a NULL handle.
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_set_snapshot_every(null, 5), "NULL handle");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_take_snapshot_error(null), "NULL handle");
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The names of a zip file's entries, every entry read to its end (so a bad CRC or a cut
     * archive fails); an {@link AssertionError} if there is none.
     */
    static Set<String> zipEntries(byte[] zip) throws IOException {
        Set<String> names = new TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                check(names.add(entry.getName()), "a single entry " + entry.getName());
                in.readAllBytes();
            }
        }
        check(!names.isEmpty(), "a zip file with entries");
        return names;
    }

    /** A command as a JSON line dated {@code date} by the organization {@code org}. */
    static String at(String date, String org, String event, String body) {
        return cmd(org, event, body).replace("\"at\":\"2010-10-31\"", "\"at\":\"" + date + "\"");
    }

    static void snapshotRoundTrip() {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            sameJson(expectedReport, Json.parse(c.report(null, null, AS_OF, Format.JSON)), "report");
            sameJson(Json.parse(baseSnapshot), Json.parse(c.snapshotJson()), "snapshot again");
        }
        // Malformed and incomplete snapshots: the snapshot's own code, 4008 (not CZ_INVALID_JSON).
        expectCode(4008, () -> Campaign.fromSnapshot("{not json"));
        expectCode(4008, () -> Campaign.fromSnapshot("{}"));
    }

    static void replay() throws IOException {
        Path journal = scenario.resolve("journal.jsonl");
        if (Files.exists(journal)) {
            try (Campaign c = Campaign.replay(read(journal))) {
                sameJson(expectedReport, Json.parse(c.report(null, null, AS_OF, Format.JSON)), "report");
            }
        }
        Path dir = Files.createTempDirectory("cz-java-replay");
        try {
            Path file = dir.resolve("journal.jsonl");
            try (Campaign c = Campaign.create(file, info, null)) {
                c.importCommands(commands, false);
            }
            String text = read(file);
            try (Campaign c = Campaign.replay(text)) {
                sameJson(expectedReport, Json.parse(c.report(null, null, AS_OF, Format.JSON)), "replayed");
            }
            // A tampered record fails its hash check.
            String tampered = text.replaceFirst("第1镇党委", "第9镇党委");
            check(!tampered.equals(text), "tampered");
            expectError(() -> Campaign.replay(tampered));
            expectError(() -> Campaign.replay("not a journal"));
        } finally {
            deleteTree(dir);
        }
    }

    static void verifyJournal() throws IOException {
        Path dir = Files.createTempDirectory("cz-java-verify");
        try {
            Path file = dir.resolve("journal.jsonl");
            String hash;
            long seq;
            try (Campaign c = Campaign.create(file, info, null)) {
                c.importCommands(commands, false);
                hash = c.lastHash();
                seq = c.seq();
            }
            check(hash.matches("[0-9a-f]{64}"), "a lowercase hex hash: " + hash);
            Map<?, ?> whole = (Map<?, ?>) Json.parse(Campaign.verifyJournal(file, hash, seq));
            equal(hash, whole.get("last_hash"), "last_hash");
            equal(seq, ((Number) whole.get("last_seq")).longValue(), "last_seq");
            // Cut after 30 lines: the chain verifies, the anchors do not (4011).
            String text = read(file);
            String[] lines = text.split("\n", -1);
            Path cut = dir.resolve("cut.jsonl");
            Files.writeString(cut, String.join("\n", java.util.Arrays.copyOf(lines, 30)) + "\n");
            Campaign.verifyJournal(cut, null, null);
            ChuangzhengException e = expectCode(4011, () -> Campaign.verifyJournal(cut, hash, seq));
            checkBilingual(e);
            check(e.messageEn().contains("its last seq is 29"), e.messageEn());
            // The last 40 bytes cut off: bytes that belong to no record (4010).
            Path torn = dir.resolve("torn.jsonl");
            byte[] bytes = Files.readAllBytes(file);
            Files.write(torn, java.util.Arrays.copyOf(bytes, bytes.length - 40));
            checkBilingual(expectCode(4010, () -> Campaign.verifyJournal(torn, null, null)));
            expectCode(Chuangzheng.INVALID_ARGUMENT, () -> Campaign.verifyJournal(file, "ABC", null));
        } finally {
            deleteTree(dir);
        }
    }

    static final byte[] HMAC = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** The test-only SM2 key pair beside the C tests (made for the tests, never for use). */
    static byte[] testKey(String name) throws IOException {
        return Files.readAllBytes(repo.resolve("bindings/c/tests/test-only-sm2-" + name + ".pem"));
    }

    /** The last_signed of a report, checked to be the last record. */
    static long lastSigned(String report) {
        Map<?, ?> r = (Map<?, ?>) Json.parse(report);
        long last = ((Number) r.get("last_signed")).longValue();
        equal(((Number) r.get("last_seq")).longValue(), last, "the last record is signed");
        check(((Number) r.get("checkpoints")).longValue() >= 1, "checkpoints counted: " + report);
        return last;
    }

    static void checkpoints() throws IOException {
        Path dir = Files.createTempDirectory("cz-java-checkpoint");
        try {
            Path hmac = dir.resolve("hmac.jsonl");
            try (Campaign c = Campaign.create(hmac, info, null)) {
                String result = c.importCommands(commands, false, "hmac-sm3", HMAC, "test-key", 500);
                check(((Number) ((Map<?, ?>) Json.parse(result)).get("checkpoints")).longValue() > 1,
                        "checkpoints among the records: " + result);
                long seq = lastSigned(Campaign.verifyJournal(hmac, null, null, "hmac-sm3", HMAC));
                equal(c.seq(), seq, "signed through the end");
                byte[] wrong = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
                checkBilingual(expectCode(4013, () -> Campaign.verifyJournal(hmac, null, null, "hmac-sm3", wrong)));
                c.execute("{\"at\":\"2010-12-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":"
                        + "{\"id\":\"t-cp\",\"name\":\"检查点镇党委\",\"kind\":\"township_committee\",\"parent\":\"city\"}}}");
                expectCode(4014, () -> Campaign.verifyJournal(hmac, null, null, "hmac-sm3", HMAC));
                equal(seq + 2, c.checkpoint("hmac-sm3", HMAC, "test-key"), "the checkpoint's seq");
                equal(seq + 2, lastSigned(Campaign.verifyJournal(hmac, c.lastHash(), seq + 2, "hmac-sm3", HMAC)), "last_signed");
            }
            Path sm2 = dir.resolve("sm2.jsonl");
            try (Campaign c = Campaign.create(sm2, info, null)) {
                c.importCommands(commands, false, "sm2", testKey("private"), "test-key", 0);
            }
            lastSigned(Campaign.verifyJournal(sm2, null, null, "sm2", testKey("public")));
            expectCode(4013, () -> Campaign.verifyJournal(sm2, null, null, "sm2", testKey("other-public")));
            ChuangzhengException e = expectCode(4012, () -> Campaign.verifyJournal(sm2, null, null, "sm2", testKey("private")));
            check(e.messageEn().contains("pubout"), e.messageEn());
            // Without a key, as before.
            check(!Campaign.verifyJournal(sm2, null, null).contains("last_signed"), "no key, no last_signed");
        } finally {
            deleteTree(dir);
        }
    }

    static void checkpointArguments() throws IOException {
        try (Campaign c = Campaign.newInMemory(info, null)) {
            expectCode(4015, () -> c.checkpoint("hmac-sm3", HMAC, "test-key"));
            c.execute("{\"at\":\"2010-05-01\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":"
                    + "{\"id\":\"city\",\"name\":\"东港市委\",\"kind\":\"city_committee\"}}}");
            ChuangzhengException e = expectCode(Chuangzheng.INVALID_ARGUMENT, () -> c.checkpoint("rsa", HMAC, "test-key"));
            check(e.messageEn().contains("argument alg"), e.messageEn());
            expectCode(4012, () -> c.checkpoint("hmac-sm3", new byte[8], "test-key"));
            expectCode(4012, () -> c.checkpoint("hmac-sm3", new byte[0], "test-key"));
            expectCode(4012, () -> c.checkpoint("hmac-sm3", HMAC, " padded "));
            expectCode(4012, () -> c.checkpoint("sm2", testKey("public"), "test-key"));
            expectCode(Chuangzheng.INVALID_ARGUMENT,
                    () -> c.importCommands(commands, false, "hmac", HMAC, "test-key", 0));
            expectThrows(IllegalArgumentException.class,
                    () -> c.importCommands(commands, false, "hmac-sm3", HMAC, "test-key", -1));
            expectThrows(NullPointerException.class, () -> c.checkpoint("hmac-sm3", null, "test-key"));
            equal(1L, c.seq(), "nothing recorded by the refused calls");
            equal(2L, c.checkpoint("sm2", testKey("private"), "test-key"), "an SM2 checkpoint");
        }
    }

    static void createAndOpen() throws IOException {
        Path dir = Files.createTempDirectory("cz-java-open");
        try {
            // A non-ASCII file name crosses as UTF-8 (when the JDK can name it at all).
            boolean cjk = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))
                    .newEncoder().canEncode("城市");
            Path file = dir.resolve(cjk ? "城市.jsonl" : "city.jsonl");
            long seq;
            try (Campaign c = Campaign.create(file, info, null)) {
                c.importCommands(commands, false);
                seq = c.seq();
                // The journal is locked while the handle is open.
                expectError(() -> Campaign.open(file));
            }
            expectCode(4002, () -> Campaign.create(file, info, null));
            try (Campaign c = Campaign.open(file)) {
                equal(seq, c.seq(), "seq after reopening");
                sameJson(expectedReport, Json.parse(c.report(null, null, AS_OF, Format.JSON)), "reopened");
                long next = c.recordVisit(AS_OF, "v-001", null, "m-000001", "h-v-001-00");
                equal(seq + 1, next, "recorded on the file");
            }
            try (Campaign c = Campaign.open(file)) {
                equal(seq + 1, c.seq(), "the visit was synced");
            }
            expectError(() -> Campaign.open(dir.resolve("missing.jsonl")));
            expectCode(Chuangzheng.INVALID_JSON, () -> Campaign.create(dir.resolve("b.jsonl"), "{", null));
            // Malformed rules: the rule set's own code, 2001 (not CZ_INVALID_JSON).
            expectCode(2001, () -> Campaign.create(dir.resolve("c.jsonl"), info, "{\"version\": "));
            check(!Files.exists(dir.resolve("b.jsonl")), "no file left by a refused create");
        } finally {
            deleteTree(dir);
        }
    }

    static void execute() {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            long seq = c.seq();
            String state = c.stateJson();
            long s = c.execute(cmd("v-001", "register_household", "{\"id\":\"h-java-1\",\"village\":\"v-001\"}"));
            equal(seq + 1, s, "seq of the new record");
            equal(s, c.seq(), "seq()");
            String after = c.stateJson();
            check(after.contains("h-java-1"), "the household is in the state");
            // Malformed commands: the command's own code, 3001 (not CZ_INVALID_JSON).
            expectCode(3001, () -> c.execute("{"));
            expectCode(3001, () -> c.execute("{\"at\":\"2010-10-31\"}"));
            expectCode(3002, () -> c.execute(
                    cmd("v-001", "register_household", "{\"id\":\"h-java-2\",\"village\":\"v-999\"}")));
            expectCode(3006, () -> c.execute(
                    "{\"at\":\"2010-10-31\",\"actor\":{\"org\":\"city\"},\"event\":{\"create_org\":"
                            + "{\"id\":\"city2\",\"name\":\"第二市委\",\"kind\":\"city_committee\"}}}"));
            expectError(() -> c.execute(
                    cmd("v-001", "register_household", "{\"id\":\"h-java-1\",\"village\":\"v-001\"}")));
            equal(s, c.seq(), "refused commands record nothing");
            equal(after, c.stateJson(), "refused commands change nothing");
            check(!state.equals(after), "the accepted command changed the state");
        }
    }

    static void importModes() {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            long seq = c.seq();
            String good = cmd("v-001", "register_household", "{\"id\":\"h-java-1\",\"village\":\"v-001\"}");
            String bad = cmd("v-001", "register_household", "{\"id\":\"h-java-2\",\"village\":\"v-999\"}");
            String text = "# a comment\n" + good + "\n\n" + bad + "\n{oops\n";
            try {
                c.importCommands(text, false);
                throw new AssertionError("expected ImportRefusedException");
            } catch (ImportRefusedException e) {
                equal(3002, e.code(), "the first refused line's code");
                equal(2, e.refusedCount(), "refused lines");
                check(e.messageZh().startsWith("第4行"), "zh names the line: " + e.messageZh());
                check(e.messageEn().startsWith("line 4"), "en names the line: " + e.messageEn());
                Map<?, ?> r = (Map<?, ?>) Json.parse(e.resultJson());
                equal(num(0), r.get("recorded"), "nothing recorded");
                List<?> refused = (List<?>) r.get("refused");
                equal(num(4), ((Map<?, ?>) refused.get(0)).get("line"), "line of the unknown village");
                equal(num(5), ((Map<?, ?>) refused.get(1)).get("line"), "line of the malformed JSON");
            }
            equal(seq, c.seq(), "all or nothing");
            Map<?, ?> r = (Map<?, ?>) Json.parse(c.importCommands(text, true));
            equal(num(1), r.get("recorded"), "keep going records the good line");
            equal(num(seq + 1), r.get("seq"), "result seq");
            equal(2, ((List<?>) r.get("refused")).size(), "and lists the refused ones");
            equal(seq + 1, c.seq(), "seq after keep going");
            Map<?, ?> empty = (Map<?, ?>) Json.parse(c.importCommands("", false));
            equal(num(0), empty.get("recorded"), "an empty text");
        }
    }

    static void stateSeqLatestDate() {
        try (Campaign c = Campaign.newInMemory(info, null)) {
            equal(0L, c.seq(), "seq before any record");
            expectCode(Chuangzheng.NO_RECORD, c::latestDate);
            Map<?, ?> state = (Map<?, ?>) Json.parse(c.stateJson());
            check(!state.isEmpty(), "the state is a JSON object");
        }
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            equal(AS_OF, c.latestDate(), "latest date");
            check(c.seq() > 1900, "seq " + c.seq());
            check(c.stateJson().contains("东港市委"), "Chinese names come back as UTF-8");
        }
    }

    static void pledge() {
        String id = firstPledge();
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            String json = c.pledgeJson(id);
            Object p = Json.parse(json);
            check(p instanceof Map, "a JSON object");
            equal(id, ((Map<?, ?>) p).get("id"), "the pledge's id");
            check(((Map<?, ?>) p).get("owner") instanceof Map, "its owner");
            check(json.contains("承诺书"), "its content, in Chinese");
            expectCode(3002, () -> c.pledgeJson("pm-nobody"));
        }
    }

    static void memberEvaluation() {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            expectCode(3002, () -> c.memberEvaluationJson("m-000001", "2010"));
            expectCode(3002, () -> c.memberEvaluationJson("m-nobody", "2010"));
            c.execute(cmd("v-001", "record_member_evaluation",
                    "{\"member\":\"m-000001\",\"round\":\"2010\",\"report_submitted\":\"2010-10-20\","
                            + "\"self_review\":{\"counts\":{\"excellent\":1,\"qualified\":0,"
                            + "\"basically_qualified\":0,\"unqualified\":0}},"
                            + "\"peers\":{\"counts\":{\"excellent\":3,\"qualified\":2,"
                            + "\"basically_qualified\":0,\"unqualified\":0}},"
                            + "\"masses\":{\"score\":\"90\"},\"committee\":{\"score\":\"88.5\"}}"));
            String json = c.memberEvaluationJson("m-000001", "2010");
            Map<?, ?> e = (Map<?, ?>) Json.parse(json);
            equal("m-000001", e.get("member"), "member");
            // (95 + 89 + 90 + 88.5) / 4, a decimal string.
            equal("90.625", e.get("score"), "the weighted score as a decimal string");
            check(e.get("outcome") instanceof Map, "an outcome");
            check(!((List<?>) e.get("steps")).isEmpty(), "the steps with their rules");
            expectCode(3002, () -> c.memberEvaluationJson("m-000001", "2011"));
        }
    }

    static void audit() throws IOException {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            Path seed = repo.resolve("examples/seed-claims.json");
            if (Files.exists(seed)) {
                String claims = read(seed);
                int n = ((List<?>) ((Map<?, ?>) Json.parse(claims)).get("claims")).size();
                List<?> findings = findings(c.auditJson(claims, null, null, AS_OF));
                equal(n, findings.size(), "a finding per claim");
                Set<String> verdicts = Set.of("supported", "supported_under_reading", "unsupported", "invalid");
                for (Object f : findings) {
                    check(verdicts.contains(((Map<?, ?>) f).get("verdict")), "verdict of " + f);
                    check(((Map<?, ?>) f).containsKey("claim"), "claim of " + f);
                }
            } else {
                System.out.println("      (no " + seed + ": seed claims skipped)");
            }
            // Claims built from the report's own figures.
            Map<?, ?> figures = (Map<?, ?>) ((Map<?, ?>) expectedReport).get("figures");
            String key = "pledge.practical.total";
            Object value = figures.get(key);
            check(value != null, "the report has " + key);
            String claims = "{\"source\":\"测试\",\"claims\":["
                    + claim("right", key, ((BigDecimal) value).toPlainString()) + ","
                    + claim("wrong", key, ((BigDecimal) value).add(BigDecimal.ONE).toPlainString()) + ","
                    + claim("nonsense", "no.such.figure", "1") + "]}";
            List<?> f = findings(c.auditJson(claims, null, null, AS_OF));
            equal("supported", ((Map<?, ?>) f.get(0)).get("verdict"), "claim of the report's figure");
            equal("unsupported", ((Map<?, ?>) f.get(1)).get("verdict"), "claim off by one");
            equal("invalid", ((Map<?, ?>) f.get(2)).get("verdict"), "claim of no figure");
            expectCode(5001, () -> c.auditJson("{", null, null, null));
            expectCode(3002, () -> c.auditJson(claims, "no-such-org", null, null));
        }
    }

    static void typedFastPaths() {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            long seq = c.seq();
            List<String> cadres = List.of("m-000001", "m-000002", "m-000003", "m-000004");
            equal(seq + 1, c.recordReception(AS_OF, "v-001", null, "v-001", cadres, 3), "reception");
            equal(seq + 2, c.recordReception(AS_OF, "v-001", "m-000001", "v-001", cadres.subList(0, 1), 1),
                    "reception by a cadre");
            equal(seq + 3, c.recordVisit(AS_OF, "v-001", null, "m-000001", "h-v-001-00"), "visit");
            String pledge = "pm-m-000001";
            // The month was reported already: a second report must be a correction.
            ChuangzhengException e = expectError(
                    () -> c.reportProgress(AS_OF, "v-001", null, pledge, 2010, 10, List.of("2"), false));
            check(e.code() >= 1000, "a library error: " + e);
            equal(seq + 4, c.reportProgress(AS_OF, "v-001", null, pledge, 2010, 10, List.of("2"), true),
                    "correction");
            equal(seq + 5, c.reportProgressDecimal(AS_OF, "v-001", null, pledge, 2010, 10,
                    List.of(new BigDecimal("1.50")), true), "BigDecimal correction");
            equal(List.of(Map.of("target", num(0), "value", "1.5")), lastReport(c, pledge).get("achieved"),
                    "the decimal crossed as a string");
            long ok = c.seq();
            // Refusals: unknown ids, bad values, bad dates.
            expectCode(3002, () -> c.recordReception(AS_OF, "v-001", null, "v-999", cadres, 3));
            expectError(() -> c.recordReception(AS_OF, "v-001", null, "v-001", cadres, 0));
            expectError(() -> c.recordReception(AS_OF, "v-001", null, "v-001", List.of(), 1));
            expectError(() -> c.recordReception(AS_OF, "v-001", null, "v-001", List.of("m-000005"), 1));
            expectCode(3002, () -> c.recordVisit(AS_OF, "v-001", null, "m-000001", "h-nowhere"));
            expectCode(3002, () -> c.reportProgress(AS_OF, "v-001", null, "pm-none", 2010, 10, List.of("1"), false));
            expectError(() -> c.reportProgress(AS_OF, "v-001", null, pledge, 2010, 10, List.of("abc"), true));
            expectError(() -> c.reportProgress(AS_OF, "v-001", null, pledge, 2010, 10, List.of("1", "2"), true));
            expectCode(Chuangzheng.INVALID_ARGUMENT, () -> c.reportProgress(AS_OF, "v-001", null, pledge, 2010, 13, List.of("1"), true));
            expectError(() -> c.recordVisit(LocalDate.of(2009, 1, 1), "v-001", null, "m-000001", "h-v-001-00"));
            equal(ok, c.seq(), "refusals record nothing");
            // A null achieved value: the target is not reported.
            equal(ok + 1, c.reportProgress(AS_OF, "v-001", null, pledge, 2010, 10,
                    Arrays.asList((String) null), true), "a report without the target");
            equal(List.of(), lastReport(c, pledge).get("achieved"), "nothing achieved reported");
            // Argument checks in Java.
            expectThrows(IllegalArgumentException.class,
                    () -> c.recordReception(AS_OF, "v-001", null, "v-001", cadres, -1));
            expectThrows(IllegalArgumentException.class,
                    () -> c.reportProgress(AS_OF, "v-001", null, pledge, 40000, 10, List.of("1"), true));
            expectThrows(NullPointerException.class,
                    () -> c.recordReception(AS_OF, "v-001", null, "v-001", Arrays.asList("m-000001", null), 1));
            // A date that does not exist, through the raw call (a LocalDate cannot hold one).
            Pointer h = rawCampaign();
            try {
                LongByReference out = new LongByReference(-1);
                int rc = LIB.cz_campaign_record_visit(h, new CzLibrary.CzDate.ByValue((short) 2010, (byte) 2, (byte) 30),
                        "v-001", null, "m-000001", "h-v-001-00", out);
                equal(Chuangzheng.INVALID_ARGUMENT, rc, "2010-02-30");
                equal(-1L, out.getValue(), "no output on failure");
                rc = LIB.cz_campaign_record_reception(h, new CzLibrary.CzDate.ByValue((short) 2010, (byte) 10, (byte) 31),
                        "v-001", null, "v-001", null, new CzLibrary.SizeT(2), 1, null);
                equal(Chuangzheng.NULL_ARGUMENT, rc, "cadres NULL with a length");
            } finally {
                LIB.cz_campaign_free(h);
            }
        }
    }

    static void errorMessages() throws InterruptedException {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            ChuangzhengException e = expectCode(3002, () -> c.pledgeJson("pm-nobody"));
            equal(3002, LIB.cz_last_error_code(), "cz_last_error_code on the failing thread");
            check(e.messageZh().codePoints().anyMatch(BindingTest::isHan),
                    "Chinese message: " + e.messageZh());
            check(e.messageEn().matches("(?s).*[A-Za-z]{3,}.*")
                            && e.messageEn().codePoints().noneMatch(BindingTest::isHan),
                    "English message: " + e.messageEn());
            check(e.getMessage().contains("pm-nobody"), "the message names the id: " + e.getMessage());
            // The last error is per thread.
            int[] other = new int[1];
            Thread t = new Thread(() -> other[0] = LIB.cz_last_error_code());
            t.start();
            t.join();
            equal(0, other[0], "another thread has no last error");
        }
    }

    static void nulls() {
        expectThrows(NullPointerException.class, () -> Campaign.newInMemory(null, null));
        expectThrows(NullPointerException.class, () -> Campaign.open(null));
        expectThrows(NullPointerException.class, () -> Campaign.replay(null));
        expectThrows(NullPointerException.class, () -> Campaign.fromSnapshot(null));
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            expectThrows(NullPointerException.class, () -> c.execute(null));
            expectThrows(NullPointerException.class, () -> c.importCommands(null, false));
            expectThrows(NullPointerException.class, () -> c.pledgeJson(null));
            expectThrows(NullPointerException.class, () -> c.memberEvaluationJson("m-000001", null));
            expectThrows(NullPointerException.class, () -> c.report(null, null, null, null));
            expectThrows(NullPointerException.class, () -> c.reportXlsx(null, null, null, null));
            expectThrows(NullPointerException.class, () -> c.figures(null, null, null, null));
            expectThrows(NullPointerException.class, () -> c.auditJson(null, null, null, null));
            expectThrows(NullPointerException.class, () -> c.recordVisit(null, "v-001", null, "m-000001", "h-v-001-00"));
            expectThrows(NullPointerException.class, () -> c.recordReception(AS_OF, "v-001", null, "v-001", null, 1));
            expectThrows(NullPointerException.class,
                    () -> c.reportProgress(AS_OF, "v-001", null, "pm-m-000001", 2010, 10, null, true));
        }
        // The raw ABI: NULL where not allowed is CZ_NULL_ARGUMENT; where allowed, the default.
        PointerByReference out = new PointerByReference();
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_new(null, null, out), "info NULL");
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_last_error_code(), "last code");
        check(!LIB.cz_last_error_message().isEmpty(), "a message for NULL");
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_new(info, null, null), "campaign_out NULL");
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_open(null, out), "path NULL");
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_replay(null, out), "journal NULL");
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_from_snapshot(null, out), "snapshot NULL");
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_state_json(null, out), "campaign NULL");
        LongByReference untouched = new LongByReference(7);
        equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_seq(null, untouched), "seq of NULL");
        equal(7L, untouched.getValue(), "seq_out untouched");
        LIB.cz_campaign_free(null);
        LIB.cz_string_free(null);
        Pointer h = rawCampaign();
        try {
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_execute(h, null, null), "command NULL");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_state_json(h, null), "json_out NULL");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_pledge_json(h, null, out), "pledge NULL");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_import(h, null, 0, out), "jsonl NULL");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_audit_json(h, null, null, null, null, out), "claims NULL");
            equal(Chuangzheng.NULL_ARGUMENT, LIB.cz_campaign_latest_date(h, null), "date_out NULL");
            // seq_out NULL is allowed.
            long before = rawSeq(h);
            equal(Chuangzheng.OK, LIB.cz_campaign_execute(h, cmd("v-001", "register_household",
                    "{\"id\":\"h-raw\",\"village\":\"v-001\"}"), null), "seq_out NULL");
            equal(before + 1, rawSeq(h), "recorded");
            // scope, from and as_of NULL: the root, the start, the latest date.
            equal(Chuangzheng.OK, LIB.cz_campaign_report(h, null, null, null, 1, out), "report with NULLs");
            LIB.cz_string_free(out.getValue());
        } finally {
            LIB.cz_campaign_free(h);
        }
    }

    static void utf8() {
        // Raw bytes that are not UTF-8, through the raw ABI (a Java String cannot hold them).
        NativeLibrary lib = NativeLibrary.getInstance(LibraryLoader.location());
        Memory bad = new Memory(8);
        bad.write(0, new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}', 0, 0}, 0, 8);
        PointerByReference out = new PointerByReference();
        Function create = lib.getFunction("cz_campaign_new");
        equal(Chuangzheng.INVALID_UTF8, create.invokeInt(new Object[] {bad, null, out}), "info not UTF-8");
        equal(Chuangzheng.INVALID_UTF8, LIB.cz_last_error_code(), "last code");
        Pointer h = rawCampaign();
        try {
            Function execute = lib.getFunction("cz_campaign_execute");
            equal(Chuangzheng.INVALID_UTF8, execute.invokeInt(new Object[] {h, bad, null}), "command not UTF-8");
            Function pledge = lib.getFunction("cz_campaign_pledge_json");
            equal(Chuangzheng.INVALID_UTF8, pledge.invokeInt(new Object[] {h, bad, out}), "id not UTF-8");
        } finally {
            LIB.cz_campaign_free(h);
        }
        // The binding encodes UTF-8 itself, whatever the default charset: names with CJK and a
        // character outside the BMP (a surrogate pair in Java) come back unchanged.
        String name = "东港市创先争优活动 𠀀 ✓";
        try (Campaign c = Campaign.newInMemory("{\"id\":\"u\",\"name\":" + Json.quote(name) + "}", null)) {
            Map<?, ?> snapshot = (Map<?, ?>) Json.parse(c.snapshotJson());
            check(Json.write(snapshot).contains(name), "the name round-trips");
            c.execute(cmd("市", "create_org", "{\"id\":\"市\",\"name\":\"东港市委\",\"kind\":\"city_committee\"}"));
            check(c.stateJson().contains("\"市\""), "a CJK id round-trips");
            // Non-ASCII ids through the typed path, String[] included.
            c.execute(cmd("市", "create_org",
                    "{\"id\":\"镇\",\"name\":\"镇党委\",\"kind\":\"township_committee\",\"parent\":\"市\"}"));
            c.execute(cmd("市", "create_org",
                    "{\"id\":\"一村\",\"name\":\"一村党支部\",\"kind\":\"village\",\"parent\":\"镇\"}"));
            c.execute(cmd("市", "add_member",
                    "{\"id\":\"党员甲\",\"org\":\"一村\",\"category\":\"farmer\",\"role\":\"secretary\"}"));
            long seq = c.recordReception(AS_OF, "一村", "党员甲", "一村", List.of("党员甲"), 2);
            equal(c.seq(), seq, "a reception with CJK ids");
            expectCode(3002, () -> c.recordReception(AS_OF, "一村", null, "一村", List.of("党员乙"), 2));
            // Strings Java cannot send faithfully are refused before the call.
            expectThrows(IllegalArgumentException.class, () -> c.pledgeJson("pm\u0000x"));
            expectThrows(IllegalArgumentException.class, () -> c.pledgeJson("pm\ud800x"));
            expectThrows(IllegalArgumentException.class, () -> c.execute("{\"a\":\"\udc00\"}"));
        }
    }

    static void close() {
        Campaign c = Campaign.fromSnapshot(baseSnapshot);
        check(!c.isClosed(), "open");
        c.close();
        c.close();
        check(c.isClosed(), "closed");
        List<ThrowingRunnable> uses = List.of(
                c::seq, c::latestDate, c::stateJson, c::snapshotJson,
                () -> c.execute("{}"), () -> c.importCommands("", false),
                () -> c.pledgeJson("x"), () -> c.memberEvaluationJson("x", "2010"),
                () -> c.report(null, null, null, Format.JSON), () -> c.reportXlsx(null, null, null),
                () -> c.figures(null, null, null),
                () -> c.auditJson("{}", null, null, null),
                () -> c.recordReception(AS_OF, "v", null, "v", List.of("m"), 1),
                () -> c.recordVisit(AS_OF, "v", null, "m", "h"),
                () -> c.reportProgress(AS_OF, "v", null, "p", 2010, 10, List.of("1"), false));
        for (ThrowingRunnable use : uses) {
            expectThrows(IllegalStateException.class, use);
        }
    }

    static void threads() throws Exception {
        try (Campaign c = Campaign.fromSnapshot(baseSnapshot)) {
            long start = c.seq();
            int threads = 8;
            int each = 40;
            ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        go.await();
                        for (int k = 0; k < each; k++) {
                            if ((k + id) % 2 == 0) {
                                seqs.add(c.recordVisit(AS_OF, "v-001", null, "m-000001", "h-v-001-00"));
                            } else {
                                seqs.add(c.recordReception(AS_OF, "v-001", null, "v-001", List.of("m-000002"), 1 + k));
                            }
                            if (k % 10 == 0) {
                                c.seq();
                                try {
                                    c.pledgeJson("pm-nobody");
                                } catch (ChuangzhengException e) {
                                    if (e.code() != 3002) {
                                        throw e;
                                    }
                                }
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            go.countDown();
            for (Thread w : workers) {
                w.join();
            }
            if (!errors.isEmpty()) {
                throw new AssertionError("a thread failed", errors.peek());
            }
            int total = threads * each;
            equal(start + total, c.seq(), "final seq");
            Set<Long> expected = new HashSet<>();
            for (long s = start + 1; s <= start + total; s++) {
                expected.add(s);
            }
            equal(expected, new HashSet<>(seqs), "each record its own seq");
        }
    }

    static void concurrentClose() throws Exception {
        Campaign c = Campaign.fromSnapshot(baseSnapshot);
        AtomicInteger calls = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread w = new Thread(() -> {
                try {
                    while (true) {
                        c.stateJson();
                        calls.incrementAndGet();
                    }
                } catch (IllegalStateException closed) {
                    // expected: the campaign was closed under us, cleanly
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        while (calls.get() < 20) {
            Thread.sleep(5);
        }
        c.close();
        for (Thread w : workers) {
            w.join();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a thread failed", errors.peek());
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A command dated 2010-10-31 by the organization {@code org}. */
    static String cmd(String org, String event, String body) {
        return "{\"at\":\"2010-10-31\",\"actor\":{\"org\":" + Json.quote(org) + "},\"event\":{\""
                + event + "\":" + body + "}}";
    }

    static String claim(String id, String figure, String claimed) {
        return "{\"id\":" + Json.quote(id) + ",\"text\":\"测试\",\"figure\":" + Json.quote(figure)
                + ",\"claimed\":" + Json.quote(claimed) + "}";
    }

    static List<?> findings(String auditJson) {
        return (List<?>) ((Map<?, ?>) Json.parse(auditJson)).get("findings");
    }

    /** The last monthly report of a pledge, from its JSON. */
    static Map<?, ?> lastReport(Campaign c, String pledge) {
        List<?> reports = (List<?>) ((Map<?, ?>) Json.parse(c.pledgeJson(pledge))).get("reports");
        return (Map<?, ?>) reports.get(reports.size() - 1);
    }

    static String firstPledge() {
        Matcher m = Pattern.compile("\"draft_pledge\":\\{\"id\":\"([^\"]+)\"").matcher(commands);
        check(m.find(), "a draft_pledge in commands.jsonl");
        return m.group(1);
    }

    /** The raw handle's seq, checked to be read. */
    static long rawSeq(Pointer h) {
        LongByReference out = new LongByReference();
        equal(Chuangzheng.OK, LIB.cz_campaign_seq(h, out), "cz_campaign_seq");
        return out.getValue();
    }

    /** A raw handle with the scenario's city, for calls the binding does not allow. */
    static Pointer rawCampaign() {
        PointerByReference out = new PointerByReference();
        equal(Chuangzheng.OK, LIB.cz_campaign_from_snapshot(baseSnapshot, out), "raw handle");
        return out.getValue();
    }

    static boolean isHan(int codePoint) {
        return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
    }

    static BigDecimal num(long n) {
        return BigDecimal.valueOf(n);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static void equal(Object expected, Object actual, String what) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + clip(expected) + ", got " + clip(actual));
        }
    }

    static String clip(Object o) {
        String s = String.valueOf(o);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Structural equality of parsed JSON, naming the first difference. */
    static void sameJson(Object expected, Object actual, String path) {
        if (expected instanceof Map && actual instanceof Map) {
            Map<?, ?> e = (Map<?, ?>) expected;
            Map<?, ?> a = (Map<?, ?>) actual;
            equal(new TreeSet<>(stringKeys(e)), new TreeSet<>(stringKeys(a)), path + " keys");
            for (Object k : e.keySet()) {
                sameJson(e.get(k), a.get(k), path + "." + k);
            }
        } else if (expected instanceof List && actual instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            equal(e.size(), a.size(), path + " length");
            for (int k = 0; k < e.size(); k++) {
                sameJson(e.get(k), a.get(k), path + "[" + k + "]");
            }
        } else {
            equal(expected, actual, path);
        }
    }

    static Set<String> stringKeys(Map<?, ?> m) {
        Set<String> s = new HashSet<>();
        for (Object k : m.keySet()) {
            s.add((String) k);
        }
        return s;
    }

    static ChuangzhengException expectError(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ChuangzhengException e) {
            check(e.code() != 0, "a failure has a code");
            checkBilingual(e);
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected ChuangzhengException, got " + e, e);
        }
        throw new AssertionError("expected ChuangzhengException, nothing thrown");
    }

    /** The message is Chinese, a newline, English (the header's convention), for every code. */
    static void checkBilingual(ChuangzhengException e) {
        String m = e.getMessage();
        check(m.contains("\n"), "Chinese and English on two lines: " + m);
        check(e.messageZh().codePoints().anyMatch(BindingTest::isHan), "a Chinese line: " + m);
        check(e.messageEn().matches("(?s).*[A-Za-z]{3,}.*"), "an English line: " + m);
    }

    static ChuangzhengException expectCode(int code, ThrowingRunnable r) {
        ChuangzhengException e = expectError(r);
        if (e.code() != code) {
            throw new AssertionError("expected code " + code + ", got " + e, e);
        }
        return e;
    }

    static void expectThrows(Class<? extends Throwable> type, ThrowingRunnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            if (type.isInstance(e)) {
                return;
            }
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + e, e);
        }
        throw new AssertionError("expected " + type.getSimpleName() + ", nothing thrown");
    }
}
