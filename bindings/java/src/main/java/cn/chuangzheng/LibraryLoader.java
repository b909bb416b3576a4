package cn.chuangzheng;

import com.sun.jna.DefaultTypeMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and loads {@code libchuangzheng.so} for {@link CzLibrary#INSTANCE}, in this order:
 *
 * <ol>
 *   <li>the system property {@code chuangzheng.library}: the library file;
 *   <li>the system property {@code chuangzheng.library.dir}, or else the environment variable
 *       {@code CZ_LIB_DIR}: the directory holding it;
 *   <li>the library bundled in the jar, the class-path resource
 *       {@code linux-x86-64/libchuangzheng.so} (extracted by JNA to a temporary file);
 *   <li>JNA's search by name: {@code -Djna.library.path=…}, then the system's.
 * </ol>
 *
 * <p>A place given explicitly (1 or 2) is the only one tried: a typo there must fail, not load
 * some other library in silence. The bundled library comes before the system's because it was
 * built with these classes; a {@code libchuangzheng.so} installed elsewhere may be another
 * version. When nothing loads, the {@link UnsatisfiedLinkError} names every place tried and why
 * each failed, in Chinese then English.
 */
final class LibraryLoader {
    /** The name JNA maps to {@code libchuangzheng.so}. */
    static final String NAME = "chuangzheng";

    /** Where the loaded library came from: a path, or {@link #NAME} for JNA's search. */
    private static volatile String loadedFrom;

    private LibraryLoader() {}

    /**
     * One place to look: its description in both languages, and the path or name for JNA or,
     * when there is nothing there to load, why not ({@code skippedZh}, {@code skippedEn}).
     */
    private record Place(String zh, String en, String location, String skippedZh, String skippedEn) {
        static Place at(String zh, String en, String location) {
            return new Place(zh, en, location, null, null);
        }
    }

    static CzLibrary load() {
        List<Place> places = places();
        List<String> failures = new ArrayList<>();
        UnsatisfiedLinkError last = null;
        for (Place place : places) {
            if (place.location() == null) {
                failures.add(null);
                continue;
            }
            try {
                CzLibrary lib = Native.load(place.location(), CzLibrary.class, options());
                loadedFrom = place.location();
                return lib;
            } catch (UnsatisfiedLinkError e) {
                last = e;
                failures.add(oneLine(e.getMessage()));
            }
        }
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(message(places, failures));
        if (last != null) {
            error.initCause(last);
        }
        throw error;
    }

    /** The path or name the library was loaded from (loading it first if need be). */
    static String location() {
        if (CzLibrary.INSTANCE == null) {
            throw new IllegalStateException("CzLibrary.INSTANCE is null");
        }
        return loadedFrom;
    }

    /** The places to try, in order; an explicit setting is the only one. */
    private static List<Place> places() {
        String file = System.getProperty("chuangzheng.library");
        if (file != null && !file.isEmpty()) {
            return List.of(Place.at("系统属性 chuangzheng.library 给出的文件 " + file,
                    "the file in the system property chuangzheng.library, " + file, file));
        }
        String mapped = System.mapLibraryName(NAME);
        String dir = System.getProperty("chuangzheng.library.dir");
        if (dir != null && !dir.isEmpty()) {
            String path = new File(dir, mapped).getAbsolutePath();
            return List.of(Place.at("系统属性 chuangzheng.library.dir 给出的目录中的 " + path,
                    "in the directory of the system property chuangzheng.library.dir, " + path, path));
        }
        dir = System.getenv("CZ_LIB_DIR");
        if (dir != null && !dir.isEmpty()) {
            String path = new File(dir, mapped).getAbsolutePath();
            return List.of(Place.at("环境变量 CZ_LIB_DIR 给出的目录中的 " + path,
                    "in the directory of the environment variable CZ_LIB_DIR, " + path, path));
        }
        String resource = Platform.RESOURCE_PREFIX + "/" + mapped;
        String jnaPath = System.getProperty("jna.library.path", "");
        return List.of(
                bundled(resource),
                Place.at("JNA 按名称 " + NAME + " 查找（jna.library.path=" + jnaPath + "，然后是系统的路径）",
                        "JNA's search for " + NAME + " (jna.library.path=" + jnaPath
                                + ", then the system's paths)",
                        NAME));
    }

    /** The bundled library, extracted from the jar to a file (JNA deletes it at exit). */
    private static Place bundled(String resource) {
        String zh = "jar 中附带的库（类路径资源 " + resource + "）";
        String en = "the library bundled in the jar (the class-path resource " + resource + ")";
        ClassLoader loader = LibraryLoader.class.getClassLoader();
        if (loader == null || loader.getResource(resource) == null) {
            return new Place(zh, en, null, "类路径中没有", "not on the class path");
        }
        try {
            return Place.at(zh, en, Native.extractFromResourcePath(resource, loader).getAbsolutePath());
        } catch (IOException e) {
            String why = oneLine(e.toString());
            return new Place(zh, en, null, "无法解压：" + why, "could not be extracted: " + why);
        }
    }

    private static Map<String, Object> options() {
        // JNA encodes String arguments with the platform's default charset whatever
        // OPTION_STRING_ENCODING says (that option covers String[] and returned strings),
        // so Strings go through Utf8 both ways.
        DefaultTypeMapper mapper = new DefaultTypeMapper();
        mapper.addTypeConverter(String.class, new CzLibrary.Utf8());
        return Map.of(
                Library.OPTION_STRING_ENCODING, "UTF-8",
                Library.OPTION_TYPE_MAPPER, mapper);
    }

    /** "中文\nEnglish", each with every place tried and why it failed. */
    private static String message(List<Place> places, List<String> failures) {
        StringBuilder zh = new StringBuilder("无法加载 chuangzheng 的本地库 " + System.mapLibraryName(NAME)
                + "，依次尝试了：");
        StringBuilder en = new StringBuilder("could not load chuangzheng's native library "
                + System.mapLibraryName(NAME) + "; tried, in order:");
        for (int i = 0; i < places.size(); i++) {
            Place place = places.get(i);
            String why = failures.get(i);
            zh.append(' ').append(i + 1).append(") ").append(place.zh())
                    .append('：').append(why == null ? place.skippedZh() : why).append('；');
            en.append(' ').append(i + 1).append(") ").append(place.en())
                    .append(": ").append(why == null ? place.skippedEn() : why).append(';');
        }
        if (places.size() == 1) {
            zh.append(" 请检查这一设置，或去掉它以使用 jar 中附带的库。");
            en.append(" check that setting, or remove it to use the library bundled in the jar.");
        } else {
            zh.append(" 请设置 CZ_LIB_DIR 或 -Dchuangzheng.library，或使用附带该库的 chuangzheng.jar。");
            en.append(" set CZ_LIB_DIR or -Dchuangzheng.library, or use a chuangzheng.jar that bundles it.");
        }
        return zh + "\n" + en;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\n\\s*", " / ");
    }
}
