package cn.chuangzheng;

import java.util.Map;

/**
 * What {@link Campaign#openReadOnly} found in the journal it read: the records it verified and
 * replayed, and a torn last line it left in place (a read-only open never cuts it, where
 * {@link Campaign#open} would). The {@code report_out} of {@code cz_campaign_open_read_only}.
 *
 * @param records the records replayed (the header line excluded)
 * @param tornTail the last line without its newline, or {@code null} when the journal ends
 *     with a whole record
 */
public record ReplayReport(long records, TornTail tornTail) {

    /**
     * The bytes of a last line without its newline (a write cut short, never acknowledged): not
     * replayed, and left in the file.
     *
     * @param offset where they start in the file, in bytes
     * @param len how many bytes they are
     */
    public record TornTail(long offset, long len) {}

    /** Whether the journal ends with a torn line ({@link #tornTail()} is not {@code null}). */
    public boolean torn() {
        return tornTail != null;
    }

    /** Reads the library's {@code {"records": N, "torn_tail": null | {"offset", "len"}}}. */
    static ReplayReport parse(String json) {
        Map<?, ?> r = (Map<?, ?>) Json.parse(json);
        Map<?, ?> t = (Map<?, ?>) r.get("torn_tail");
        TornTail tail = t == null ? null
                : new TornTail(number(t, "offset"), number(t, "len"));
        return new ReplayReport(number(r, "records"), tail);
    }

    private static long number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalStateException("the library's replay report lacks " + key + ": " + m);
        }
        return ((Number) v).longValue();
    }
}
