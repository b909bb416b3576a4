package cn.chuangzheng;

/**
 * A failure reported by the library: its code ({@code 1}–{@code 999} the ABI's own, see
 * {@link Chuangzheng}; {@code 1000} and up the library's, docs/events.md) and its message,
 * Chinese then English on the next line, as {@code cz_last_error_message} gave it right after
 * the failing call, on the calling thread.
 */
public class ChuangzhengException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** A failure with the given code and message ({@code "中文\nEnglish"}). */
    public ChuangzhengException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** Reads this thread's last error right after a call that returned {@code code}. */
    static ChuangzhengException last(int code) {
        return new ChuangzhengException(code, CzLibrary.INSTANCE.cz_last_error_message());
    }

    /** The error code (e.g. 3002 for an unknown id). */
    public int code() {
        return code;
    }

    /** The Chinese message (the first line of {@link #getMessage()}). */
    public String messageZh() {
        String m = getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The English message (after the first newline; empty if there is none). */
    public String messageEn() {
        String m = getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? "" : m.substring(nl + 1);
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + code + "]: " + getMessage();
    }
}
