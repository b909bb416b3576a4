package cn.chuangzheng;

import java.util.Map;

/**
 * What {@link Campaign#openReadOnly} found in the journal it read: the records it verified and
 * replayed, a torn last line it left in place (a read-only open never cuts it, where
 * {@link Campaign#open} would), and the binary snapshot beside the journal
 * ({@link Campaign#saveSnapshot}) it loaded, or why it could not. The {@code report_out} of
 * {@code cz_campaign_open_read_only}.
 *
 * @param records the journal's records (the header line excluded): those the snapshot held and
 *     those replayed after them
 * @param tornTail the last line without its newline, or {@code null} when the journal ends
 *     with a whole record
 * @param snapshot the records the snapshot beside the journal held when the campaign was
 *     loaded from it (only the records after them were replayed), or {@code null} when it was
 *     not
 * @param snapshotSkipped why a snapshot beside the journal could not be used (English text,
 *     e.g. {@code "… does not match its checksum"}; the journal was then replayed whole), or
 *     {@code null}
 */
public record ReplayReport(long records, TornTail tornTail, Long snapshot, String snapshotSkipped) {

    /** A report of a journal read without a snapshot beside it. */
    public ReplayReport(long records, TornTail tornTail) {
        this(records, tornTail, null, null);
    }

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

    /**
     * Reads the library's {@code {"records": N, "torn_tail": null | {"offset", "len"},
     * "snapshot": null | S, "snapshot_skipped": null | "why"}}.
     */
    static ReplayReport parse(String json) {
        Map<?, ?> r = (Map<?, ?>) Json.parse(json);
        Map<?, ?> t = (Map<?, ?>) r.get("torn_tail");
        TornTail tail = t == null ? null
                : new TornTail(number(t, "offset"), number(t, "len"));
        Long snapshot = r.get("snapshot") == null ? null : number(r, "snapshot");
        Object skipped = r.get("snapshot_skipped");
        if (skipped != null && !(skipped instanceof String)) {
            throw new IllegalStateException("the library's replay report has a snapshot_skipped"
                    + " that is not a string: " + r);
        }
        return new ReplayReport(number(r, "records"), tail, snapshot, (String) skipped);
    }

    private static long number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            throw new IllegalStateException("the library's replay report lacks " + key + ": " + m);
        }
        return ((Number) v).longValue();
    }
}
