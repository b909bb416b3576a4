package cn.chuangzheng;

import java.util.List;
import java.util.Map;

/**
 * {@link Campaign#importCommands} (or {@link Campaign#importXlsx}) without {@code keepGoing}
 * found lines (rows) refused, so nothing was recorded. {@link #code()} and the message are the first refused line's;
 * {@link #resultJson()} is the library's whole result,
 * {@code {"recorded": 0, "seq": …, "refused": [{"line", "code", "message"}, …]}}.
 */
public class ImportRefusedException extends ChuangzhengException {
    private static final long serialVersionUID = 1L;

    private final String resultJson;
    private final int refusedCount;

    ImportRefusedException(String resultJson, List<?> refused) {
        super(firstCode(refused), message(refused));
        this.resultJson = resultJson;
        this.refusedCount = refused.size();
    }

    private static int firstCode(List<?> refused) {
        return ((Number) ((Map<?, ?>) refused.get(0)).get("code")).intValue();
    }

    /** "第N行: 中文 (共k行被拒, 未记录)\nline N: English (k refused, nothing recorded)". */
    private static String message(List<?> refused) {
        Map<?, ?> first = (Map<?, ?>) refused.get(0);
        String m = String.valueOf(first.get("message"));
        int nl = m.indexOf('\n');
        String zh = nl < 0 ? m : m.substring(0, nl);
        String en = nl < 0 ? m : m.substring(nl + 1);
        int n = refused.size();
        Object sheet = first.get("sheet");
        if (sheet != null) {
            // A workbook's row: its sheet, row and column.
            Object row = first.get("row");
            Object column = first.get("column");
            String col = column == null ? "" : "「" + column + "」";
            String colEn = column == null ? "" : " column " + column;
            return "「" + sheet + "」第" + row + "行" + col + "：" + zh + "（共" + n + "行被拒，未记录任何一行）\n"
                    + "sheet " + sheet + " row " + row + colEn + ": " + en + " (" + n
                    + " row(s) refused, nothing recorded)";
        }
        Object line = first.get("line");
        return "第" + line + "行: " + zh + " (共" + n + "行被拒, 未记录任何命令)\n"
                + "line " + line + ": " + en + " (" + n + " line(s) refused, nothing recorded)";
    }

    /** The library's result JSON, listing every refused line. */
    public String resultJson() {
        return resultJson;
    }

    /** How many lines were refused. */
    public int refusedCount() {
        return refusedCount;
    }
}
