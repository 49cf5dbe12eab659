package org.fedlodrop.simulator.extension;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars for tests as a plugin's own build would: its sources compiled against the extension API
 * alone (nothing else of fedlodrop on the class path), its resources copied, all in one jar.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /** examples/plugin, from the module's directory or the checkout's. */
    public static Path examplePlugin() {
        Path fromModule = Path.of("..", "examples", "plugin");
        return Files.isDirectory(fromModule) ? fromModule : Path.of("examples", "plugin");
    }

    /** The API's classes (a directory in the reactor build, a jar otherwise): a plugin's only dependency. */
    public static Path apiClasses() throws Exception {
        return Path.of(org.fedlodrop.api.Extension.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The Maven project at {@code project} (src/main/java, src/main/resources) as {@code jar}. */
    public static Path build(Path project, Path jar) throws Exception {
        Map<String, byte[]> resources = new java.util.TreeMap<>();
        Path resourceRoot = project.resolve("src/main/resources");
        if (Files.isDirectory(resourceRoot)) {
            try (Stream<Path> files = Files.walk(resourceRoot)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    resources.put(resourceRoot.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
        }
        List<Path> sources;
        try (Stream<Path> files = Files.walk(project.resolve("src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        return build(sources, resources, jar);
    }

    /** One-file plugins written by a test: each source a compilation unit, each resource a file of the jar. */
    public static Path build(Map<String, String> sources, Map<String, byte[]> resources, Path jar) throws Exception {
        return build(sources, resources, jar, apiClasses().toString());
    }

    /**
     * As above, compiled against {@code classPath}: a model family's plugin needs fedlodrop's models and the family
     * interface as well as the API.
     */
    public static Path build(Map<String, String> sources, Map<String, byte[]> resources, Path jar, String classPath)
            throws Exception {
        Path src = Files.createTempDirectory("fedlodrop-plugin-src");
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file);
        }
        return build(files, resources, jar, classPath);
    }

    private static Path build(List<Path> sources, Map<String, byte[]> resources, Path jar) throws Exception {
        return build(sources, resources, jar, apiClasses().toString());
    }

    private static Path build(List<Path> sources, Map<String, byte[]> resources, Path jar, String classPath)
            throws Exception {
        Path classes = Files.createTempDirectory("fedlodrop-plugin-classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-cp", classPath,
                "-d", classes.toString()));
        sources.forEach(s -> args.add(s.toString()));
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("the plugin does not compile against " + classPath + ":\n" + errors);
        }
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
             Stream<Path> built = Files.walk(classes)) {
            for (Path file : built.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> resource : resources.entrySet()) {
                zip.putNextEntry(new JarEntry(resource.getKey()));
                zip.write(resource.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + jar, e);
        }
        return jar;
    }
}
