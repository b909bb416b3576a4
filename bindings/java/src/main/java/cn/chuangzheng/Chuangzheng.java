package cn.chuangzheng;

/**
 * The constants of {@code include/chuangzheng.h} (the test checks them against the header) and
 * the library's version.
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
}
