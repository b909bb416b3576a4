package cn.chuangzheng;

/**
 * How {@link Campaign#report(String, java.time.LocalDate, java.time.LocalDate, Format,
 * Attribution)} places records in the organization tree (统计口径): {@code CZ_ATTRIBUTION_*}.
 */
public enum Attribution {
    /**
     * Every record under its organization's place in the tree on the as-of date (the default,
     * what {@code cz_campaign_report} does): a village that moved brings its past records to its
     * new township.
     */
    AS_OF(Chuangzheng.ATTRIBUTION_AS_OF),
    /**
     * Each record under the organization its author stood under on the record's own date;
     * members, secretaries and other stocks stay where they stood on the as-of date.
     */
    HISTORICAL(Chuangzheng.ATTRIBUTION_HISTORICAL);

    private final int code;

    Attribution(int code) {
        this.code = code;
    }

    /** The {@code CZ_ATTRIBUTION_*} value passed to the library. */
    public int code() {
        return code;
    }
}
