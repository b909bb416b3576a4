package cn.chuangzheng;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A campaign (创先争优活动): its rules, its state and, when opened or created on a file, its
 * journal. Wraps a {@code cz_campaign} handle. One opened with {@link #openReadOnly} reads its
 * journal and answers queries, and refuses every command (4016).
 *
 * <p><b>Lifetime.</b> Close it with {@link #close()} (or try-with-resources): the handle is freed
 * exactly once, {@code close()} may be called again and does nothing, and any other method
 * called after it throws {@link IllegalStateException}. A campaign that is never closed is freed
 * when it becomes unreachable (a {@link Cleaner}), but close it: a journal stays locked until then.
 *
 * <p><b>Threads.</b> A campaign may be shared by any number of threads: the library runs each
 * call alone on the handle, and this class lets calls proceed concurrently while making
 * {@code close()} wait until calls in flight have returned (the handle is never freed while
 * another thread uses it). Errors are read on the thread that made the failing call.
 *
 * <p><b>Values.</b> Strings cross as UTF-8 (whatever the platform's default charset); a string
 * holding a NUL character or an unpaired surrogate is refused with
 * {@link IllegalArgumentException} rather than silently truncated or replaced. Dates are
 * {@link LocalDate}s. Decimals cross as strings ({@code "12.5"}), never {@code double}.
 * Required arguments that are {@code null} throw {@link NullPointerException}; the parameters
 * documented as nullable map to the C API's NULL.
 *
 * <p><b>Errors.</b> A refused call throws {@link ChuangzhengException} with the library's code
 * and message (Chinese, newline, English); a refused call changes nothing.
 */
public final class Campaign implements AutoCloseable {
    private static final CzLibrary LIB = CzLibrary.INSTANCE;
    private static final Cleaner CLEANER = Cleaner.create();

    /** Owns the native pointer; run once, by close() or by the cleaner. */
    private static final class Handle implements Runnable {
        private volatile Pointer pointer;

        Handle(Pointer pointer) {
            this.pointer = pointer;
        }

        @Override
        public void run() {
            Pointer p = pointer;
            pointer = null;
            LIB.cz_campaign_free(p);
        }
    }

    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private final ReplayReport replayReport; // null unless opened with openReadOnly
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // written under the write lock, read under the read lock

    private Campaign(Pointer pointer, ReplayReport replayReport) {
        if (pointer == null) {
            throw new IllegalStateException("the library returned success without a handle");
        }
        this.handle = new Handle(pointer);
        this.cleanable = CLEANER.register(this, handle);
        this.replayReport = replayReport;
    }

    // ---- opening -------------------------------------------------------------------------

    /**
     * A campaign without a journal file ({@code cz_campaign_new}).
     *
     * @param infoJson {@code {"id": "…", "name": "…"}}
     * @param rulesJson a rule set (docs/rules.md), or {@code null} for the defaults
     */
    public static Campaign newInMemory(String infoJson, String rulesJson) {
        String info = arg("infoJson", infoJson);
        String rules = opt("rulesJson", rulesJson);
        return make(out -> LIB.cz_campaign_new(info, rules, out));
    }

    /**
     * Opens the journal at {@code path}, verifying and replaying it, and locks it. A valid
     * snapshot beside it ({@link #saveSnapshot()}) is loaded and only the records after it are
     * replayed; one that cannot be used is passed over and the journal replayed whole.
     */
    public static Campaign open(Path path) {
        String p = arg("path", Objects.requireNonNull(path, "path").toString());
        return make(out -> LIB.cz_campaign_open(p, out));
    }

    /**
     * Opens the journal at {@code path} to read it only ({@code cz_campaign_open_read_only}):
     * streamed from the file, every record verified and replayed, nothing ever written. A torn
     * last line is reported in {@link #replayReport()} and left in the file (where
     * {@link #open} cuts it). Every query works; every command, import and checkpoint is refused
     * with 4016. The journal is locked (shared) only while it is read: a writer holding it does
     * not stop this open, which then reads the records there when it opened. As {@link #open},
     * it loads a valid snapshot beside the journal ({@link #saveSnapshot()}) and replays only
     * the records after it; the report says whether it did ({@link ReplayReport#snapshot()}) or
     * why it could not ({@link ReplayReport#snapshotSkipped()}).
     *
     * @throws ChuangzhengException as {@link #open} for a journal that cannot be read or fails
     *     verification
     */
    public static Campaign openReadOnly(Path path) {
        String p = arg("path", Objects.requireNonNull(path, "path").toString());
        PointerByReference out = new PointerByReference();
        PointerByReference report = new PointerByReference();
        check(LIB.cz_campaign_open_read_only(p, out, report));
        ReplayReport replayed;
        try {
            replayed = ReplayReport.parse(take(report));
        } catch (RuntimeException e) {
            LIB.cz_campaign_free(out.getValue());
            throw e;
        }
        return new Campaign(out.getValue(), replayed);
    }

    /**
     * Creates a journal at {@code path} (never overwriting a file: 4002 if it exists).
     *
     * @param rulesJson a rule set, or {@code null} for the defaults
     */
    public static Campaign create(Path path, String infoJson, String rulesJson) {
        String p = arg("path", Objects.requireNonNull(path, "path").toString());
        String info = arg("infoJson", infoJson);
        String rules = opt("rulesJson", rulesJson);
        return make(out -> LIB.cz_campaign_create(p, info, rules, out));
    }

    /**
     * Replays a journal held as text (its header line and records joined by newlines), verifying
     * every hash, into a new in-memory campaign.
     */
    public static Campaign replay(String journalText) {
        String text = arg("journalText", journalText);
        return make(out -> LIB.cz_campaign_replay(text, out));
    }

    /** Loads a snapshot ({@link #snapshotJson()}) into a new in-memory campaign. */
    public static Campaign fromSnapshot(String snapshotJson) {
        String json = arg("snapshotJson", snapshotJson);
        return make(out -> LIB.cz_campaign_from_snapshot(json, out));
    }

    private static Campaign make(Function<PointerByReference, Integer> call) {
        PointerByReference out = new PointerByReference();
        check(call.apply(out));
        return new Campaign(out.getValue(), null);
    }

    // ---- commands ------------------------------------------------------------------------

    /**
     * Checks and records one command given as JSON (docs/events.md), synced to the journal if
     * there is one.
     *
     * @return the record's sequence number
     */
    public long execute(String commandJson) {
        String json = arg("commandJson", commandJson);
        return call(h -> {
            LongByReference seq = new LongByReference();
            check(LIB.cz_campaign_execute(h, json, seq));
            return seq.getValue();
        });
    }

    /**
     * Records a JSON Lines text of commands with one journal sync.
     *
     * <p>Without {@code keepGoing} it is all or nothing: if any line is refused, nothing is
     * recorded and {@link ImportRefusedException} (carrying the result) is thrown. With
     * {@code keepGoing} the lines that pass are recorded and the refused ones are listed in the
     * result.
     *
     * @return the result, {@code {"recorded": n, "seq": last_seq, "refused": [{"line", "code",
     *     "message"}, …]}}
     */
    public String importCommands(String commandsJsonl, boolean keepGoing) {
        String text = arg("commandsJsonl", commandsJsonl);
        int flags = keepGoing ? Chuangzheng.IMPORT_KEEP_GOING : 0;
        String result = call(h -> imported(out -> LIB.cz_campaign_import(h, text, flags, out)));
        return refusedUnless(keepGoing, result);
    }

    /**
     * {@link #importCommands(String, boolean)} with checkpoints signed by {@code key} among the
     * records ({@code cz_campaign_import_signed}): one every {@code every} records, and one at
     * the end of each chunk of 4096 commands ({@code every} 0: only those). The result adds
     * {@code "checkpoints": n}. The key is as {@link #checkpoint} takes it.
     *
     * @param every records between checkpoints, or 0 (not negative)
     */
    public String importCommands(
            String commandsJsonl, boolean keepGoing, String alg, byte[] key, String keyId,
            long every) {
        String text = arg("commandsJsonl", commandsJsonl);
        int flags = keepGoing ? Chuangzheng.IMPORT_KEEP_GOING : 0;
        String a = arg("alg", alg);
        String id = arg("keyId", keyId);
        Objects.requireNonNull(key, "key");
        if (every < 0) {
            throw new IllegalArgumentException("every is negative: " + every);
        }
        String result = call(h -> withKey(key, (k, len) -> imported(
                out -> LIB.cz_campaign_import_signed(h, text, flags, a, k, len, id, every, out))));
        return refusedUnless(keepGoing, result);
    }

    /**
     * Imports a filled template (the .xlsx file's bytes; docs/sheets.md,
     * {@code cz_campaign_import_xlsx}): each row of each sheet of a known kind becomes a
     * command; rows that leave 填报单位编号 blank act as {@code actor} (or are refused when it is
     * {@code null}). All or nothing without {@code keepGoing}: any refused row records nothing and
     * throws {@link ImportRefusedException}, its code and message the first row's, its result
     * listing every refused row by sheet, row and column. A workbook that cannot be read throws
     * the library's error (6001–6003, 6005) and changes nothing.
     *
     * @return the result, {@code {"recorded", "seq", "refused": [{"sheet", "row", "column",
     *     "code", "message"}, …], "refused_total", "sheets": [{"name", "kind", "rows"}],
     *     "skipped": […]}}
     */
    public String importXlsx(byte[] workbook, String actor, boolean keepGoing) {
        Objects.requireNonNull(workbook, "workbook");
        String a = opt("actor", actor);
        int flags = keepGoing ? Chuangzheng.IMPORT_KEEP_GOING : 0;
        CzLibrary.SizeT len = new CzLibrary.SizeT(workbook.length);
        String result = call(h -> imported(
                out -> LIB.cz_campaign_import_xlsx(h, workbook, len, a, flags, out)));
        return refusedUnless(keepGoing, result);
    }

    /** Runs an import; its result, written with {@code CZ_OK} and with CZ_REFUSED_LINES. */
    private static String imported(Function<PointerByReference, Integer> f) {
        PointerByReference out = new PointerByReference();
        int code = f.apply(out);
        // CZ_REFUSED_LINES comes with the result written: the refused lines are in it.
        if (code != Chuangzheng.REFUSED_LINES) {
            check(code);
        }
        return take(out);
    }

    /** Throws {@link ImportRefusedException} for refused lines of an all-or-nothing import. */
    private static String refusedUnless(boolean keepGoing, String result) {
        if (!keepGoing) {
            Object refused = ((Map<?, ?>) Json.parse(result)).get("refused");
            if (refused instanceof List && !((List<?>) refused).isEmpty()) {
                throw new ImportRefusedException(result, (List<?>) refused);
            }
        }
        return result;
    }

    /**
     * Writes a checkpoint record ({@code cz_campaign_checkpoint}): the chain through the last
     * record, signed with {@code key}, sealed and synced like any record.
     *
     * <p>The key is used for this call only: its bytes are copied to native memory that is
     * zeroed and freed when the call returns; this class keeps no copy (zero your array
     * afterwards if you wish).
     *
     * @param alg {@code "sm2"} or {@code "hmac-sm3"}
     * @param key for {@code "sm2"} the SM2 private key, PKCS#8 as PEM text or DER bytes (as
     *     {@code openssl genpkey -algorithm SM2} writes it); for {@code "hmac-sm3"} the HMAC
     *     key's bytes (16 to 1024)
     * @param keyId the key's name, written in the checkpoint (1 to 64 bytes)
     * @return the checkpoint's sequence number
     * @throws ChuangzhengException {@code INVALID_ARGUMENT} for an unknown alg, 4012 for a key
     *     or key id that cannot be used, 4015 before any record
     */
    public long checkpoint(String alg, byte[] key, String keyId) {
        String a = arg("alg", alg);
        String id = arg("keyId", keyId);
        Objects.requireNonNull(key, "key");
        return call(h -> withKey(key, (k, len) -> {
            LongByReference seq = new LongByReference();
            check(LIB.cz_campaign_checkpoint(h, a, k, len, id, seq));
            return seq.getValue();
        }));
    }

    /**
     * Writes the campaign's whole state to a binary snapshot beside its journal
     * ({@code <journal>.snapshot}, replacing the one there; {@code cz_campaign_save_snapshot}),
     * so that the next {@link #open} or {@link #openReadOnly} loads it and replays only the
     * records after it. The journal is synced first; the snapshot is written beside it and
     * renamed into place.
     *
     * @return the number of records the snapshot holds (the campaign's {@link #seq()})
     * @throws ChuangzhengException 4017 for a campaign without a journal file ({@link
     *     #newInMemory}, {@link #fromSnapshot}, {@link #replay}: take {@link #snapshotJson()}),
     *     4016 for one opened read-only, 4007 for one an earlier write failure left unusable,
     *     4001 when the snapshot cannot be written (the old one, if any, is left in place)
     */
    public long saveSnapshot() {
        return call(h -> {
            LongByReference seq = new LongByReference();
            check(LIB.cz_campaign_save_snapshot(h, seq));
            return seq.getValue();
        });
    }

    /**
     * From now on writes a snapshot beside the journal by itself (as {@link #saveSnapshot()}
     * does) after every {@code every} records ({@code cz_campaign_set_snapshot_every}), counted
     * from the snapshot the campaign was opened from (or the last one it wrote so), in the call
     * that records the record that makes one due; that call then takes as long as a snapshot
     * takes to write (seconds at province scale). A snapshot that cannot be written does not
     * fail that call, whose records are recorded: {@link #takeSnapshotError()} tells of it.
     *
     * @param every records between snapshots, or 0 (the default): only when
     *     {@link #saveSnapshot()} is called (not negative)
     * @throws IllegalArgumentException for a negative {@code every}
     */
    public void setSnapshotEvery(long every) {
        if (every < 0) {
            throw new IllegalArgumentException("every is negative: " + every);
        }
        call(h -> {
            check(LIB.cz_campaign_set_snapshot_every(h, every));
            return null;
        });
    }

    /**
     * Why the last snapshot written by itself ({@link #setSnapshotEvery}) failed, told once
     * ({@code cz_campaign_take_snapshot_error}): the library's error as the exception
     * {@link #saveSnapshot()} would have thrown (returned, not thrown; e.g. 4001 when the file
     * cannot be written), or empty when none failed since the last call.
     */
    public Optional<ChuangzhengException> takeSnapshotError() {
        return call(h -> {
            int code = LIB.cz_campaign_take_snapshot_error(h);
            // The message is this thread's last error: read right after the call.
            return code == Chuangzheng.OK
                    ? Optional.empty()
                    : Optional.of(ChuangzhengException.last(code));
        });
    }

    /** A key's bytes in native memory for one call, zeroed and freed when it returns. */
    private static <T> T withKey(byte[] key, BiFunction<Pointer, CzLibrary.SizeT, T> f) {
        CzLibrary.SizeT len = new CzLibrary.SizeT(key.length);
        if (key.length == 0) {
            return f.apply(null, len);
        }
        try (Memory m = new Memory(key.length)) {
            m.write(0, key, 0, key.length);
            try {
                return f.apply(m, len);
            } finally {
                m.clear();
            }
        }
    }

    /**
     * Records a reception (接待来访) without JSON: {@code record_reception}.
     *
     * @param actorBy the acting member, or {@code null}
     * @param cadres the member ids of the cadres on duty
     * @param visitors the number of visitors (not negative)
     * @return the record's sequence number
     */
    public long recordReception(
            LocalDate at, String actorOrg, String actorBy, String village, List<String> cadres,
            int visitors) {
        CzLibrary.CzDate.ByValue date = date("at", at);
        String org = arg("actorOrg", actorOrg);
        String by = opt("actorBy", actorBy);
        String v = arg("village", village);
        String[] c = strings("cadres", cadres, false);
        if (visitors < 0) {
            throw new IllegalArgumentException("visitors is negative: " + visitors);
        }
        return call(h -> {
            LongByReference seq = new LongByReference();
            check(LIB.cz_campaign_record_reception(
                    h, date, org, by, v, c, new CzLibrary.SizeT(c.length), visitors, seq));
            return seq.getValue();
        });
    }

    /**
     * Records a cadre's visit (走访) of a poor household without JSON: {@code record_visit}.
     *
     * @param actorBy the acting member, or {@code null}
     * @return the record's sequence number
     */
    public long recordVisit(
            LocalDate at, String actorOrg, String actorBy, String cadre, String household) {
        CzLibrary.CzDate.ByValue date = date("at", at);
        String org = arg("actorOrg", actorOrg);
        String by = opt("actorBy", actorBy);
        String c = arg("cadre", cadre);
        String hh = arg("household", household);
        return call(h -> {
            LongByReference seq = new LongByReference();
            check(LIB.cz_campaign_record_visit(h, date, org, by, c, hh, seq));
            return seq.getValue();
        });
    }

    /**
     * Reports a published pledge's progress (月报) for {@code year}-{@code month} without JSON:
     * {@code report_progress}.
     *
     * @param actorBy the acting member, or {@code null}
     * @param achieved per target, the value achieved so far as a decimal string ({@code "12.5"}),
     *     or {@code null} for a target not reported
     * @param correction whether this corrects the month's earlier report (which is kept)
     * @return the record's sequence number
     */
    public long reportProgress(
            LocalDate at, String actorOrg, String actorBy, String pledge, int year, int month,
            List<String> achieved, boolean correction) {
        CzLibrary.CzDate.ByValue date = date("at", at);
        String org = arg("actorOrg", actorOrg);
        String by = opt("actorBy", actorBy);
        String p = arg("pledge", pledge);
        String[] a = strings("achieved", achieved, true);
        if (year < Short.MIN_VALUE || year > Short.MAX_VALUE) {
            throw new IllegalArgumentException("year out of the int16 range: " + year);
        }
        if (month < 0 || month > 255) {
            throw new IllegalArgumentException("month out of the uint8 range: " + month);
        }
        int flags = correction ? Chuangzheng.PROGRESS_CORRECTION : 0;
        return call(h -> {
            LongByReference seq = new LongByReference();
            check(LIB.cz_campaign_report_progress(
                    h, date, org, by, p, (short) year, (byte) month, a,
                    new CzLibrary.SizeT(a.length), flags, seq));
            return seq.getValue();
        });
    }

    /**
     * {@link #reportProgress} with the achieved values as {@link BigDecimal}s (sent as
     * {@link BigDecimal#toPlainString()}; {@code null} for a target not reported).
     */
    public long reportProgressDecimal(
            LocalDate at, String actorOrg, String actorBy, String pledge, int year, int month,
            List<BigDecimal> achieved, boolean correction) {
        Objects.requireNonNull(achieved, "achieved");
        List<String> values = new ArrayList<>(achieved.size());
        for (BigDecimal d : achieved) {
            values.add(d == null ? null : d.toPlainString());
        }
        return reportProgress(at, actorOrg, actorBy, pledge, year, month, values, correction);
    }

    // ---- queries -------------------------------------------------------------------------

    /**
     * What {@link #openReadOnly} found in the journal (its records, a torn tail it left), or
     * {@code null} for a campaign opened otherwise (which accepts commands).
     */
    public ReplayReport replayReport() {
        return replayReport;
    }

    /** The sequence number of the last record (0 before any). */
    public long seq() {
        return call(h -> {
            LongByReference out = new LongByReference();
            check(LIB.cz_campaign_seq(h, out));
            return out.getValue();
        });
    }

    /** The latest effective date among the records; code 6 ({@code CZ_NO_RECORD}) when there are none. */
    public LocalDate latestDate() {
        return call(h -> {
            CzLibrary.CzDate d = new CzLibrary.CzDate();
            check(LIB.cz_campaign_latest_date(h, d));
            return LocalDate.of(d.year, Byte.toUnsignedInt(d.month), Byte.toUnsignedInt(d.day));
        });
    }

    /** The state as JSON (the entity lists). */
    public String stateJson() {
        return string(h -> out -> LIB.cz_campaign_state_json(h, out));
    }

    /** A pledge as JSON (owner, status, versions, reviews, reports …); 3002 if unknown. */
    public String pledgeJson(String pledge) {
        String p = arg("pledge", pledge);
        return string(h -> out -> LIB.cz_campaign_pledge_json(h, p, out));
    }

    /**
     * A member's evaluation (一报告四评议) for {@code round} (e.g. {@code "2010"}) as JSON; 3002
     * for an unknown member or one without a record for the round.
     */
    public String memberEvaluationJson(String member, String round) {
        String m = arg("member", member);
        String r = arg("round", round);
        return string(h -> out -> LIB.cz_campaign_member_evaluation_json(h, m, r, out));
    }

    /**
     * The stage report of {@code scope}'s subtree over the records dated {@code from} to
     * {@code asOf}.
     *
     * @param scope an organization id, or {@code null} for the root
     * @param from the first day, or {@code null} for the start
     * @param asOf the last day, or {@code null} for the latest date recorded
     */
    public String report(String scope, LocalDate from, LocalDate asOf, Format format) {
        String s = opt("scope", scope);
        String f = day(from);
        String a = day(asOf);
        int fmt = Objects.requireNonNull(format, "format").code();
        return string(h -> out -> LIB.cz_campaign_report(h, s, f, a, fmt, out));
    }

    /**
     * {@link #report(String, LocalDate, LocalDate, Format)} with the records placed by
     * {@code attribution} ({@code cz_campaign_report_with}): {@link Attribution#AS_OF} gives
     * the same report, {@link Attribution#HISTORICAL} counts each record under the
     * organization its author stood under on the record's own date. At the root both give the
     * same totals; the JSON report names the reading in its {@code "attribution"} field.
     *
     * @param scope an organization id, or {@code null} for the root
     * @param from the first day, or {@code null} for the start
     * @param asOf the last day, or {@code null} for the latest date recorded
     */
    public String report(
            String scope, LocalDate from, LocalDate asOf, Format format, Attribution attribution) {
        String s = opt("scope", scope);
        String f = day(from);
        String a = day(asOf);
        int fmt = Objects.requireNonNull(format, "format").code();
        int by = Objects.requireNonNull(attribution, "attribution").code();
        return string(h -> out -> LIB.cz_campaign_report_with(h, s, f, a, fmt, by, out));
    }

    /**
     * The stage report of {@link #report(String, LocalDate, LocalDate, Format, Attribution)} as
     * an Excel workbook: the bytes of an .xlsx file (a zip archive), to write to a file as they
     * are ({@code cz_campaign_report_xlsx}). The same report gives the same bytes. The library's
     * copy is freed before this returns, whatever happens.
     *
     * @param scope an organization id, or {@code null} for the root
     * @param from the first day, or {@code null} for the start
     * @param asOf the last day, or {@code null} for the latest date recorded
     * @throws ChuangzhengException as {@link #report(String, LocalDate, LocalDate, Format,
     *     Attribution)} (3002 for an unknown scope), and 5003 when the report passes a limit of
     *     the format (more villages than a sheet has rows)
     */
    public byte[] reportXlsx(String scope, LocalDate from, LocalDate asOf, Attribution attribution) {
        String s = opt("scope", scope);
        String f = day(from);
        String a = day(asOf);
        int by = Objects.requireNonNull(attribution, "attribution").code();
        return call(h -> bytes((out, len) -> LIB.cz_campaign_report_xlsx(h, s, f, a, by, out, len)));
    }

    /**
     * {@link #reportXlsx(String, LocalDate, LocalDate, Attribution)} with
     * {@link Attribution#AS_OF}, the reading of {@link #report(String, LocalDate, LocalDate,
     * Format)}.
     */
    public byte[] reportXlsx(String scope, LocalDate from, LocalDate asOf) {
        return reportXlsx(scope, from, asOf, Attribution.AS_OF);
    }

    /**
     * The figures of {@code scope}'s subtree over {@code from}–{@code asOf}, records placed by
     * {@code attribution}, alone ({@code cz_campaign_figures}): the mergeable counts and what
     * they were computed under (the campaign, the span, the reading, the 123 method's first
     * day, the rules' SM3 hash), as JSON of the format {@code chuangzheng.stage_figures}
     * version 1 (docs/report.md, "Figures alone"). A few kilobytes, to carry to another machine
     * and add up there with {@link Chuangzheng#mergeFigures}; {@link Chuangzheng#figuresReport}
     * gives its report, with the figures {@link #report} gives for the same scope and span.
     *
     * @param scope an organization id, or {@code null} for the root
     * @param from the first day, or {@code null} for the start
     * @param asOf the last day, or {@code null} for the latest date recorded
     * @throws ChuangzhengException as {@link #report(String, LocalDate, LocalDate, Format,
     *     Attribution)} (3002 for an unknown scope)
     */
    public String figures(String scope, LocalDate from, LocalDate asOf, Attribution attribution) {
        String s = opt("scope", scope);
        String f = day(from);
        String a = day(asOf);
        int by = Objects.requireNonNull(attribution, "attribution").code();
        return string(h -> out -> LIB.cz_campaign_figures(h, s, f, a, by, out));
    }

    /**
     * {@link #figures(String, LocalDate, LocalDate, Attribution)} with {@link Attribution#AS_OF},
     * the reading of {@link #report(String, LocalDate, LocalDate, Format)}.
     */
    public String figures(String scope, LocalDate from, LocalDate asOf) {
        return figures(scope, from, asOf, Attribution.AS_OF);
    }

    /**
     * Audits published claims (docs/report.md) against the stage report of {@code scope} over
     * {@code from}–{@code asOf} (nullable as in {@link #report}).
     *
     * @return {@code {"findings": [{"claim", "verdict", "computed", …}]}}; 5001 if the claims
     *     cannot be read
     */
    public String auditJson(String claimsJson, String scope, LocalDate from, LocalDate asOf) {
        String c = arg("claimsJson", claimsJson);
        String s = opt("scope", scope);
        String f = day(from);
        String a = day(asOf);
        return string(h -> out -> LIB.cz_campaign_audit_json(h, c, s, f, a, out));
    }

    /** The whole campaign as a snapshot, for {@link #fromSnapshot}. */
    public String snapshotJson() {
        return string(h -> out -> LIB.cz_campaign_snapshot_json(h, out));
    }

    /**
     * The hash of the last record (64 lowercase hex digits): the anchor to keep apart from the
     * journal and give {@link #verifyJournal} later.
     */
    public String lastHash() {
        return string(h -> out -> LIB.cz_campaign_last_hash(h, out));
    }

    /**
     * Verifies the journal file at {@code path}, reading only: every seal and record, every
     * byte of the file, and its end against the anchors given ({@code cz_journal_verify}).
     *
     * @param expectLastHash the last hash kept apart from the journal, or {@code null}
     * @param expectSeq the last seq kept apart from it, or {@code null}
     * @return {@code {"records", "last_seq", "last_hash", "latest_date"}} as JSON
     * @throws ChuangzhengException 4011 when an anchor differs, 4010 when bytes at its end
     *     belong to no record, 4004-4006 when a record fails
     */
    public static String verifyJournal(Path path, String expectLastHash, Long expectSeq) {
        String p = arg("path", Objects.requireNonNull(path, "path").toString());
        String hash = opt("expectLastHash", expectLastHash);
        LongByReference seq = expectSeq == null ? null : new LongByReference(expectSeq);
        PointerByReference out = new PointerByReference();
        check(LIB.cz_journal_verify(p, hash, seq, out));
        return take(out);
    }

    /**
     * {@link #verifyJournal(Path, String, Long)}, and every checkpoint of the journal checked
     * under one key ({@code cz_journal_verify_signed}): every checkpoint of {@code alg} must
     * verify under it and the journal's last record must be one that does.
     *
     * @param alg {@code "sm2"} or {@code "hmac-sm3"}
     * @param key for {@code "sm2"} the SM2 public key, SubjectPublicKeyInfo as PEM text or DER
     *     bytes (as {@code openssl pkey -pubout} writes it); for {@code "hmac-sm3"} the HMAC key
     * @return the report of {@link #verifyJournal(Path, String, Long)} with
     *     {@code "checkpoints"} and {@code "last_signed"}
     * @throws ChuangzhengException 4013 when a checkpoint's signature fails, 4014 when records
     *     follow the last checkpoint that verifies, 4012 for a key that cannot be used, and as
     *     {@link #verifyJournal(Path, String, Long)}
     */
    public static String verifyJournal(
            Path path, String expectLastHash, Long expectSeq, String alg, byte[] key) {
        String p = arg("path", Objects.requireNonNull(path, "path").toString());
        String hash = opt("expectLastHash", expectLastHash);
        LongByReference seq = expectSeq == null ? null : new LongByReference(expectSeq);
        String a = arg("alg", alg);
        Objects.requireNonNull(key, "key");
        return withKey(key, (k, len) -> {
            PointerByReference out = new PointerByReference();
            check(LIB.cz_journal_verify_signed(p, hash, seq, a, k, len, out));
            return take(out);
        });
    }

    // ---- closing -------------------------------------------------------------------------

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        Lock r = lock.readLock();
        r.lock();
        try {
            return closed;
        } finally {
            r.unlock();
        }
    }

    /**
     * Frees the handle (closing and unlocking its journal), after the calls in flight on other
     * threads return. Idempotent.
     */
    @Override
    public void close() {
        Lock w = lock.writeLock();
        w.lock();
        try {
            if (!closed) {
                closed = true;
                cleanable.clean();
            }
        } finally {
            w.unlock();
        }
    }

    // ---- plumbing ------------------------------------------------------------------------

    /** Runs {@code f} on the live handle, concurrently with other calls but never with close. */
    private <T> T call(Function<Pointer, T> f) {
        Lock r = lock.readLock();
        r.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the campaign is closed");
            }
            return f.apply(handle.pointer);
        } finally {
            r.unlock();
            Reference.reachabilityFence(this);
        }
    }

    /** Calls a function with a {@code char **} out parameter; copies and frees the string. */
    private String string(Function<Pointer, Function<PointerByReference, Integer>> f) {
        return call(h -> {
            PointerByReference out = new PointerByReference();
            check(f.apply(h).apply(out));
            return take(out);
        });
    }

    /** Copies the returned string, then frees it with {@code cz_string_free} (exactly once). */
    static String take(PointerByReference out) {
        Pointer p = out.getValue();
        if (p == null) {
            throw new IllegalStateException("the library returned success without a string");
        }
        try {
            return p.getString(0, StandardCharsets.UTF_8.name());
        } finally {
            LIB.cz_string_free(p);
        }
    }

    /**
     * Calls a function with {@code uint8_t **bytes_out, size_t *len_out}; copies the bytes, then
     * frees them with {@code cz_bytes_free} and their length (exactly once, even if the copy
     * fails).
     */
    static byte[] bytes(BiFunction<PointerByReference, CzLibrary.SizeTByReference, Integer> f) {
        PointerByReference out = new PointerByReference();
        CzLibrary.SizeTByReference len = new CzLibrary.SizeTByReference();
        try {
            check(f.apply(out, len));
            Pointer p = out.getValue();
            if (p == null) {
                throw new IllegalStateException("the library returned success without bytes");
            }
            long n = len.getValue();
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a workbook too large for a Java array: " + n);
            }
            return p.getByteArray(0, (int) n);
        } finally {
            // Written only on success: freed exactly once, even if the copy failed.
            Pointer p = out.getValue();
            if (p != null) {
                LIB.cz_bytes_free(p, new CzLibrary.SizeT(len.getValue()));
            }
        }
    }

    /** Throws the thread's last error if {@code code} is not {@code CZ_OK}. */
    static void check(int code) {
        if (code != Chuangzheng.OK) {
            throw ChuangzhengException.last(code);
        }
    }

    /** A required string argument, checked to cross as UTF-8 unchanged. */
    static String arg(String name, String value) {
        return opt(name, Objects.requireNonNull(value, name));
    }

    /** A nullable string argument (null: the C API's NULL), checked like {@link #arg}. */
    static String opt(String name, String value) {
        if (value == null) {
            return null;
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + " contains a NUL character");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            throw new IllegalArgumentException(name + " is not valid Unicode (unpaired surrogate)");
        }
        return value;
    }

    /** A list of strings as an array; null elements allowed only if {@code nullable}. */
    static String[] strings(String name, List<String> values, boolean nullable) {
        Objects.requireNonNull(values, name);
        String[] out = new String[values.size()];
        for (int k = 0; k < out.length; k++) {
            String v = values.get(k);
            out[k] = nullable ? opt(name + "[" + k + "]", v) : arg(name + "[" + k + "]", v);
        }
        return out;
    }

    /** A date as the C {@code cz_date}; its year must fit {@code int16_t}. */
    private static CzLibrary.CzDate.ByValue date(String name, LocalDate d) {
        Objects.requireNonNull(d, name);
        if (d.getYear() < Short.MIN_VALUE || d.getYear() > Short.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": year out of range: " + d);
        }
        return new CzLibrary.CzDate.ByValue(
                (short) d.getYear(), (byte) d.getMonthValue(), (byte) d.getDayOfMonth());
    }

    /** A nullable date as {@code "YYYY-MM-DD"}. */
    private static String day(LocalDate d) {
        return d == null ? null : d.toString();
    }
}
