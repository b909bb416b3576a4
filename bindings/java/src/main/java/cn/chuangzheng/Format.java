package cn.chuangzheng;

/**
 * The formats of {@link Campaign#report} and {@link Chuangzheng#figuresReport}:
 * {@code CZ_FORMAT_*}.
 */
public enum Format {
    /** The JSON report (docs/report.md). */
    JSON(Chuangzheng.FORMAT_JSON),
    /** The Chinese text. */
    TEXT(Chuangzheng.FORMAT_TEXT),
    /** The self-contained HTML page. */
    HTML(Chuangzheng.FORMAT_HTML);

    private final int code;

    Format(int code) {
        this.code = code;
    }

    /** The {@code CZ_FORMAT_*} value passed to the library. */
    public int code() {
        return code;
    }
}
