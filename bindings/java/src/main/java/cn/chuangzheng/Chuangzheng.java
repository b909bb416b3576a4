package cn.chuangzheng;

import com.sun.jna.ptr.PointerByReference;
import java.util.List;
import java.util.Objects;

/**
 * The constants of {@code include/chuangzheng.h} (the test checks them against the header), the
 * library's version, and what needs no campaign: figures documents
 * ({@link Campaign#figures}) merged and reported.
 */
public final class Chuangzheng {
    private Chuangzheng() {}

    /** {@code CZ_VERSION_MAJOR}: the major version this binding was written against. */
    public static final int VERSION_MAJOR = 0;
    /** {@code CZ_VERSION_MINOR}. */
    public static final int VERSION_MINOR = 1;
    /** {@code CZ_VERSION_PATCH}. */
    public static final int VERSION_PATCH = 0;

    /** {@code CZ_OK}: success. */
    public static final int OK = 0;
    /** {@code CZ_NULL_ARGUMENT}: a required pointer argument was NULL. */
    public static final int NULL_ARGUMENT = 1;
    /** {@code CZ_INVALID_UTF8}: a string argument was not valid UTF-8. */
    public static final int INVALID_UTF8 = 2;
    /** {@code CZ_PANIC}: the library panicked (a bug); the handle refuses every later call. */
    public static final int PANIC = 3;
    /** {@code CZ_INVALID_JSON}: a JSON argument could not be read. */
    public static final int INVALID_JSON = 4;
    /** {@code CZ_INVALID_ARGUMENT}: an argument out of its range (a date, a format). */
    public static final int INVALID_ARGUMENT = 5;
    /** {@code CZ_NO_RECORD}: nothing to answer with yet (no record, no organization). */
    public static final int NO_RECORD = 6;
    /**
     * {@code CZ_REFUSED_LINES}: an import refused lines; its result is written all the same and
     * lists them.
     */
    public static final int REFUSED_LINES = 7;

    /** {@code CZ_FORMAT_JSON}. */
    public static final int FORMAT_JSON = 0;
    /** {@code CZ_FORMAT_TEXT}. */
    public static final int FORMAT_TEXT = 1;
    /** {@code CZ_FORMAT_HTML}. */
    public static final int FORMAT_HTML = 2;

    /** {@code CZ_ATTRIBUTION_AS_OF}: records placed by the tree on the as-of date. */
    public static final int ATTRIBUTION_AS_OF = 0;
    /** {@code CZ_ATTRIBUTION_HISTORICAL}: each record placed by the tree on its own date. */
    public static final int ATTRIBUTION_HISTORICAL = 1;

    /** {@code CZ_IMPORT_KEEP_GOING}: record the lines that pass, list the refused ones. */
    public static final int IMPORT_KEEP_GOING = 1;
    /** {@code CZ_PROGRESS_CORRECTION}: the progress report corrects the month's earlier one. */
    public static final int PROGRESS_CORRECTION = 1;

    /** The loaded library's version ({@code cz_version()}), e.g. {@code "0.1.0"}. */
    public static String version() {
        return CzLibrary.INSTANCE.cz_version();
    }

    /** The version this binding was written against, {@code "MAJOR.MINOR.PATCH"}. */
    public static String bindingVersion() {
        return VERSION_MAJOR + "." + VERSION_MINOR + "." + VERSION_PATCH;
    }

    // ---- figures documents -------------------------------------------------------------

    /**
     * Adds up figures documents ({@link Campaign#figures}, or earlier merges, from any number of
     * journals) into one ({@code cz_figures_merge}): their scopes side by side, their counts
     * added. The merge's report goes under the scopes' common parent, or under {@code title}.
     *
     * @param docs the documents, as JSON text
     * @param title the name the merge's report goes under (e.g. a province over its cities), or
     *     {@code null} for the scopes' common parent
     * @return the merged document, as JSON of the same format
     * @throws ChuangzhengException 5004 for a document that cannot be read (the message names
     *     which, {@code docs[i]}, and its field) or an empty list, 5005 for figures computed under
     *     different terms (span, reading, the 123 method's first day, rules; the message names
     *     the difference), 5006 for scopes that overlap (an organization counted twice)
     */
    public static String mergeFigures(List<String> docs, String title) {
        String[] d = Campaign.strings("docs", docs, false);
        String t = Campaign.opt("title", title);
        PointerByReference out = new PointerByReference();
        Campaign.check(CzLibrary.INSTANCE.cz_figures_merge(d, new CzLibrary.SizeT(d.length), t, out));
        return Campaign.take(out);
    }

    /**
     * The stage report of a figures document, one scope's or a merge's
     * ({@code cz_figures_report}), in {@code format}: its rates and amounts computed from its
     * counts, never averaged; each scope of a merge a row of 附表一. One scope's report has the
     * figures {@link Campaign#report} gives for it.
     *
     * @throws ChuangzhengException 5004 for a document that cannot be read, 5007 for a merge of
     *     scopes without a common parent and no title
     */
    public static String figuresReport(String figuresJson, Format format) {
        String json = Campaign.arg("figuresJson", figuresJson);
        int fmt = Objects.requireNonNull(format, "format").code();
        PointerByReference out = new PointerByReference();
        Campaign.check(CzLibrary.INSTANCE.cz_figures_report(json, fmt, out));
        return Campaign.take(out);
    }

    /**
     * {@link #figuresReport} as an Excel workbook ({@code cz_figures_report_xlsx}): the bytes
     * of an .xlsx file, as {@link Campaign#reportXlsx} gives them. The library's copy is freed
     * before this returns, whatever happens.
     *
     * @throws ChuangzhengException as {@link #figuresReport}, and 5003 when the report passes a
     *     limit of the format
     */
    public static byte[] figuresReportXlsx(String figuresJson) {
        String json = Campaign.arg("figuresJson", figuresJson);
        return Campaign.bytes((out, len) -> CzLibrary.INSTANCE.cz_figures_report_xlsx(json, out, len));
    }
}
