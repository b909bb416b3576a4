package cn.chuangzheng;

import com.sun.jna.FromNativeContext;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ToNativeContext;
import com.sun.jna.TypeConverter;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The C ABI of {@code include/chuangzheng.h}, one method per function, mapped by JNA.
 *
 * <p>This is the raw layer: codes come back as {@code int} (the C {@code uint32_t}), strings the
 * library returns are {@link Pointer}s you must copy and free with {@link #cz_string_free}, bytes
 * it returns (a {@link Pointer} and a {@link SizeTByReference} length) are copied and freed with
 * {@link #cz_bytes_free} given that length, and handles are bare pointers. Use {@link Campaign}
 * instead unless you need the raw calls.
 *
 * <p>Strings are passed and read as UTF-8 whatever the platform's default charset: {@code String}
 * arguments and results through the {@link Utf8} type converter (JNA itself would use the default
 * charset for them), {@code String[]} arguments through {@link Library#OPTION_STRING_ENCODING}.
 *
 * <p>The library is found, in order: the system property {@code chuangzheng.library} (the path of
 * the shared library file), the system property {@code chuangzheng.library.dir} or else the
 * environment variable {@code CZ_LIB_DIR} (the directory holding it), the library bundled in
 * {@code chuangzheng.jar} (the resource {@code linux-x86-64/libchuangzheng.so}), and finally JNA's
 * usual search ({@code jna.library.path}, then the system's); see {@link LibraryLoader}.
 */
public interface CzLibrary extends Library {

    /** The loaded library (loaded on first use of this field). */
    CzLibrary INSTANCE = LibraryLoader.load();

    /** {@code cz_date}: a civil date, passed by value to the typed functions. */
    @Structure.FieldOrder({"year", "month", "day"})
    class CzDate extends Structure {
        /** {@code int16_t}: the year, e.g. 2010. */
        public short year;
        /** {@code uint8_t}: the month, 1 to 12. */
        public byte month;
        /** {@code uint8_t}: the day of the month, 1 to 31. */
        public byte day;

        /** A zero date (an out parameter to be filled). */
        public CzDate() {}

        /** A date from its raw fields (not checked here: the library checks it). */
        public CzDate(short year, byte month, byte day) {
            this.year = year;
            this.month = month;
            this.day = day;
        }

        /** The by-value form the typed functions take. */
        public static class ByValue extends CzDate implements Structure.ByValue {
            /** A date from its raw fields (not checked here: the library checks it). */
            public ByValue(short year, byte month, byte day) {
                super(year, month, day);
            }
        }
    }

    /** {@code size_t}, sized for the platform ({@link Native#SIZE_T_SIZE} bytes, unsigned). */
    class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        /** Zero. */
        public SizeT() {
            this(0);
        }

        /** The given value. */
        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /**
     * {@code size_t *}: an out parameter for a length ({@link Native#SIZE_T_SIZE} bytes,
     * unsigned), as {@link #cz_campaign_report_xlsx} writes it.
     */
    class SizeTByReference extends ByReference {
        /** Zero. */
        public SizeTByReference() {
            this(0);
        }

        /** The given value (e.g. a sentinel to see that a failed call left it as it was). */
        public SizeTByReference(long value) {
            super(Native.SIZE_T_SIZE);
            setValue(value);
        }

        /** Sets the value. */
        public void setValue(long value) {
            if (Native.SIZE_T_SIZE == 8) {
                getPointer().setLong(0, value);
            } else {
                getPointer().setInt(0, (int) value);
            }
        }

        /** The value, unsigned (a 32-bit {@code size_t} is read without sign extension). */
        public long getValue() {
            return Native.SIZE_T_SIZE == 8
                    ? getPointer().getLong(0)
                    : Integer.toUnsignedLong(getPointer().getInt(0));
        }
    }

    /**
     * Converts {@code String} to and from NUL-terminated UTF-8, refusing (with
     * {@link IllegalArgumentException}) a string the library could not receive unchanged: one
     * holding a NUL character or an unpaired surrogate.
     */
    final class Utf8 implements TypeConverter {
        @Override
        public Object toNative(Object value, ToNativeContext context) {
            if (value == null) {
                return null;
            }
            String s = (String) value;
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a string passed to the library contains NUL");
            }
            ByteBuffer bytes;
            try {
                bytes = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("a string is not valid Unicode: " + e, e);
            }
            Memory m = new Memory(bytes.remaining() + 1L);
            m.write(0, bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            m.setByte(bytes.remaining(), (byte) 0);
            return m;
        }

        @Override
        public Object fromNative(Object value, FromNativeContext context) {
            return value == null ? null : ((Pointer) value).getString(0, "UTF-8");
        }

        @Override
        public Class<?> nativeType() {
            return Pointer.class;
        }
    }

    // ---- version and errors ------------------------------------------------------------

    /** {@code const char *cz_version(void)}: static, never freed. */
    String cz_version();

    /** {@code const char *cz_last_error_message(void)}: this thread's, never freed. */
    String cz_last_error_message();

    /** {@code uint32_t cz_last_error_code(void)}. */
    int cz_last_error_code();

    // ---- handles ------------------------------------------------------------------------

    /** {@code cz_campaign_new(const char *info_json, const char *rules_json, cz_campaign **)}. */
    int cz_campaign_new(String infoJson, String rulesJson, PointerByReference campaignOut);

    /** {@code cz_campaign_open(const char *path, cz_campaign **)}. */
    int cz_campaign_open(String path, PointerByReference campaignOut);

    /** {@code cz_campaign_create(const char *path, const char *info, const char *rules, …)}. */
    int cz_campaign_create(
            String path, String infoJson, String rulesJson, PointerByReference campaignOut);

    /** {@code cz_campaign_seq(const cz_campaign *, uint64_t *seq_out)}. */
    int cz_campaign_seq(Pointer campaign, LongByReference seqOut);

    /** {@code void cz_campaign_free(cz_campaign *)}: NULL does nothing. */
    void cz_campaign_free(Pointer campaign);

    /** {@code void cz_string_free(char *)}: NULL does nothing. */
    void cz_string_free(Pointer s);

    /** {@code cz_campaign_from_snapshot(const char *snapshot_json, cz_campaign **)}. */
    int cz_campaign_from_snapshot(String snapshotJson, PointerByReference campaignOut);

    /** {@code cz_campaign_replay(const char *journal_text, cz_campaign **)}. */
    int cz_campaign_replay(String journalText, PointerByReference campaignOut);

    // ---- queries -----------------------------------------------------------------------

    /** {@code cz_campaign_state_json(cz_campaign *, char **json_out)}. */
    int cz_campaign_state_json(Pointer campaign, PointerByReference jsonOut);

    /** {@code cz_campaign_latest_date(cz_campaign *, cz_date *date_out)}. */
    int cz_campaign_latest_date(Pointer campaign, CzDate dateOut);

    /** {@code cz_campaign_pledge_json(cz_campaign *, const char *pledge, char **json_out)}. */
    int cz_campaign_pledge_json(Pointer campaign, String pledge, PointerByReference jsonOut);

    /** {@code cz_campaign_member_evaluation_json(cz_campaign *, member, round, char **)}. */
    int cz_campaign_member_evaluation_json(
            Pointer campaign, String member, String round, PointerByReference jsonOut);

    /** {@code cz_campaign_report(cz_campaign *, scope, from, as_of, uint32_t format, char **)}. */
    int cz_campaign_report(
            Pointer campaign, String scope, String from, String asOf, int format,
            PointerByReference out);

    /**
     * {@code cz_campaign_report_with(cz_campaign *, scope, from, as_of, uint32_t format,
     * uint32_t attribution, char **)}.
     */
    int cz_campaign_report_with(
            Pointer campaign, String scope, String from, String asOf, int format, int attribution,
            PointerByReference out);

    /**
     * {@code cz_campaign_report_xlsx(cz_campaign *, scope, from, as_of, uint32_t attribution,
     * uint8_t **bytes_out, size_t *len_out)}: the workbook's bytes, freed with
     * {@link #cz_bytes_free} and the length; on failure both outputs are left as they were.
     */
    int cz_campaign_report_xlsx(
            Pointer campaign, String scope, String from, String asOf, int attribution,
            PointerByReference bytesOut, SizeTByReference lenOut);

    /**
     * {@code cz_campaign_import_xlsx(cz_campaign *, const uint8_t *bytes, size_t len, const char
     * *actor, uint32_t flags, char **result_json_out)}: a filled workbook's bytes imported; the
     * result written with {@code CZ_OK} and with {@code CZ_REFUSED_LINES}.
     */
    int cz_campaign_import_xlsx(
            Pointer campaign, byte[] bytes, SizeT len, String actor, int flags,
            PointerByReference resultJsonOut);

    /** {@code void cz_bytes_free(uint8_t *bytes, size_t len)}: NULL does nothing. */
    void cz_bytes_free(Pointer bytes, SizeT len);

    /** {@code cz_campaign_audit_json(cz_campaign *, claims_json, scope, from, as_of, char **)}. */
    int cz_campaign_audit_json(
            Pointer campaign, String claimsJson, String scope, String from, String asOf,
            PointerByReference jsonOut);

    /** {@code cz_campaign_snapshot_json(cz_campaign *, char **json_out)}. */
    int cz_campaign_snapshot_json(Pointer campaign, PointerByReference jsonOut);

    /** {@code cz_campaign_last_hash(cz_campaign *, char **hash_out)}. */
    int cz_campaign_last_hash(Pointer campaign, PointerByReference hashOut);

    /**
     * {@code cz_journal_verify(const char *path, const char *expect_last_hash,
     * const uint64_t *expect_seq, char **report_out)}.
     */
    int cz_journal_verify(
            String path, String expectLastHash, LongByReference expectSeq,
            PointerByReference reportOut);

    /**
     * {@code cz_journal_verify_signed(const char *path, const char *expect_last_hash,
     * const uint64_t *expect_seq, const char *alg, const uint8_t *key, size_t key_len,
     * char **report_out)}.
     */
    int cz_journal_verify_signed(
            String path, String expectLastHash, LongByReference expectSeq, String alg,
            Pointer key, SizeT keyLen, PointerByReference reportOut);

    // ---- rollups ------------------------------------------------------------------------

    /**
     * {@code cz_campaign_open_read_only(const char *path, cz_campaign **campaign_out,
     * char **report_out)}: {@code reportOut} may be null (no report written).
     */
    int cz_campaign_open_read_only(
            String path, PointerByReference campaignOut, PointerByReference reportOut);

    /**
     * {@code cz_campaign_figures(cz_campaign *, scope, from, as_of, uint32_t attribution,
     * char **json_out)}.
     */
    int cz_campaign_figures(
            Pointer campaign, String scope, String from, String asOf, int attribution,
            PointerByReference jsonOut);

    /**
     * {@code cz_figures_merge(const char *const *docs, size_t count, const char *title,
     * char **json_out)}.
     */
    int cz_figures_merge(String[] docs, SizeT count, String title, PointerByReference jsonOut);

    /** {@code cz_figures_report(const char *figures_json, uint32_t format, char **out)}. */
    int cz_figures_report(String figuresJson, int format, PointerByReference out);

    /**
     * {@code cz_figures_report_xlsx(const char *figures_json, uint8_t **bytes_out,
     * size_t *len_out)}: the workbook's bytes, freed with {@link #cz_bytes_free} and the length.
     */
    int cz_figures_report_xlsx(
            String figuresJson, PointerByReference bytesOut, SizeTByReference lenOut);

    // ---- checkpoints -------------------------------------------------------------------

    /**
     * {@code cz_campaign_checkpoint(cz_campaign *, const char *alg, const uint8_t *key,
     * size_t key_len, const char *key_id, uint64_t *seq_out)}.
     */
    int cz_campaign_checkpoint(
            Pointer campaign, String alg, Pointer key, SizeT keyLen, String keyId,
            LongByReference seqOut);

    /**
     * {@code cz_campaign_save_snapshot(cz_campaign *, uint64_t *seq_out)}: the records the
     * snapshot written beside the journal holds; {@code seqOut} may be null.
     */
    int cz_campaign_save_snapshot(Pointer campaign, LongByReference seqOut);

    /**
     * {@code cz_campaign_set_snapshot_every(cz_campaign *, uint64_t every)}: a snapshot written
     * by itself after every {@code every} records (0: only when asked, the default).
     */
    int cz_campaign_set_snapshot_every(Pointer campaign, long every);

    /**
     * {@code cz_campaign_take_snapshot_error(cz_campaign *)}: the code of the last snapshot
     * written by itself that failed, told once (its message in {@link #cz_last_error_message});
     * {@code CZ_OK} when none failed since the last call.
     */
    int cz_campaign_take_snapshot_error(Pointer campaign);

    /**
     * {@code cz_campaign_import_signed(cz_campaign *, const char *jsonl, uint32_t flags,
     * const char *alg, const uint8_t *key, size_t key_len, const char *key_id, uint64_t every,
     * char **)}.
     */
    int cz_campaign_import_signed(
            Pointer campaign, String commandsJsonl, int flags, String alg, Pointer key,
            SizeT keyLen, String keyId, long every, PointerByReference resultJsonOut);

    // ---- commands ----------------------------------------------------------------------

    /** {@code cz_campaign_execute(cz_campaign *, const char *command_json, uint64_t *seq_out)}. */
    int cz_campaign_execute(Pointer campaign, String commandJson, LongByReference seqOut);

    /** {@code cz_campaign_import(cz_campaign *, const char *jsonl, uint32_t flags, char **)}. */
    int cz_campaign_import(
            Pointer campaign, String commandsJsonl, int flags, PointerByReference resultJsonOut);

    /**
     * {@code cz_campaign_record_reception(cz_campaign *, cz_date at, actor_org, actor_by,
     * village, const char *const *cadres, size_t cadres_len, uint32_t visitors, uint64_t *)}.
     */
    int cz_campaign_record_reception(
            Pointer campaign, CzDate.ByValue at, String actorOrg, String actorBy, String village,
            String[] cadres, SizeT cadresLen, int visitors, LongByReference seqOut);

    /**
     * {@code cz_campaign_record_visit(cz_campaign *, cz_date at, actor_org, actor_by, cadre,
     * household, uint64_t *seq_out)}.
     */
    int cz_campaign_record_visit(
            Pointer campaign, CzDate.ByValue at, String actorOrg, String actorBy, String cadre,
            String household, LongByReference seqOut);

    /**
     * {@code cz_campaign_report_progress(cz_campaign *, cz_date at, actor_org, actor_by, pledge,
     * int16_t year, uint8_t month, const char *const *achieved, size_t achieved_len,
     * uint32_t flags, uint64_t *seq_out)}; {@code achieved} elements may be null.
     */
    int cz_campaign_report_progress(
            Pointer campaign, CzDate.ByValue at, String actorOrg, String actorBy, String pledge,
            short year, byte month, String[] achieved, SizeT achievedLen, int flags,
            LongByReference seqOut);
}
