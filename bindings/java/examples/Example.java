import cn.chuangzheng.Campaign;
import cn.chuangzheng.ChuangzhengException;
import cn.chuangzheng.Format;
import cn.chuangzheng.ImportRefusedException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens an in-memory campaign, imports a {@code commands.jsonl} (one command a line,
 * docs/events.md) all or nothing, and prints a summary line, then the stage report as text as of
 * the latest date.
 *
 * <pre>
 * java -cp chuangzheng.jar:/usr/share/java/jna.jar:. Example commands.jsonl [campaign-name]
 * </pre>
 *
 * <p>Exit status: 0 done, 1 the library refused the commands (nothing was recorded), 2 usage.
 */
public final class Example {
    private Example() {}

    public static void main(String[] args) throws IOException {
        // The report is Chinese: print UTF-8 whatever the locale's charset.
        PrintStream out = new PrintStream(
                new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length < 1 || args.length > 2) {
            System.err.println("用法：java Example commands.jsonl [活动名称]");
            System.err.println("usage: java Example commands.jsonl [campaign-name]");
            System.err.println("  imports the commands (one JSON command a line) into an in-memory campaign");
            System.err.println("  and prints the stage report as text (e.g. `chuangzheng demo --small`'s).");
            System.exit(2);
        }
        String commands = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        String name = args.length > 1 ? args[1] : "东港市创先争优活动";
        String info = "{\"id\": \"dg-2010\", \"name\": " + quote(name) + "}";

        try (Campaign campaign = Campaign.newInMemory(info, null)) {   // null: the default rules
            campaign.importCommands(commands, false);                   // all or nothing
            // A new campaign's seq is its number of records.
            out.println("recorded " + campaign.seq() + " commands, latest date " + campaign.latestDate());
            // scope, from and as-of null: the whole city, from the start, to the latest date.
            out.print(campaign.report(null, null, null, Format.TEXT));
        } catch (ImportRefusedException e) {
            // Nothing was recorded; resultJson() lists each refused line with its error.
            System.err.println(e.refusedCount() + " lines refused, nothing recorded: " + e.resultJson());
            System.exit(1);
        } catch (ChuangzhengException e) {
            System.err.println("error " + e.code() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** A JSON string literal. */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
