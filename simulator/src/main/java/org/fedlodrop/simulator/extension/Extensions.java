package org.fedlodrop.simulator.extension;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.fedlodrop.api.Extension;

/**
 * Every planner, aggregation rule and path-loss model a run can name, by kind and type: fedlodrop's own
 * and those of the plugin jars in one directory, all found with {@link ServiceLoader} under the API's
 * interfaces (docs/extending.md). Immutable once loaded.
 */
public final class Extensions {
    /** The environment variable that names the plugin directory when {@code --plugins} does not. */
    public static final String ENVIRONMENT = "FEDLODROP_PLUGINS";
    private static final String BUILT_IN = "built-in";

    /** An extension and where it came from: {@code built-in} or its jar's file name. */
    public record Registered(ExtensionKind kind, Extension<?> extension, String origin) {
        public boolean builtIn() {
            return BUILT_IN.equals(origin);
        }

        public String type() {
            return extension.type();
        }
    }

    private final Map<ExtensionKind, Map<String, Registered>> byKind;
    private final List<Path> jars;
    private final ClassLoader loader;

    private Extensions(Map<ExtensionKind, Map<String, Registered>> byKind, List<Path> jars, ClassLoader loader) {
        this.byKind = byKind;
        this.jars = List.copyOf(jars);
        this.loader = loader;
    }

    /** fedlodrop's own extensions only. */
    public static Extensions builtIn() {
        try {
            return load(Extensions.class.getClassLoader(), List.of());
        } catch (ExtensionException e) {
            throw new IllegalStateException("a built-in extension failed to register: " + e.getMessage(), e);
        }
    }

    /** The built-ins and, if a directory is given, every {@code *.jar} in it (not in its subdirectories). */
    public static Extensions load(Optional<Path> directory) throws ExtensionException {
        if (directory.isEmpty()) {
            return builtIn();
        }
        Path dir = directory.get();
        if (!Files.isDirectory(dir)) {
            throw new ExtensionException("plugin directory " + dir + ": no such directory (--plugins or " + ENVIRONMENT
                    + " names a directory of plugin jars)");
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new ExtensionException("plugin directory " + dir + ": cannot list it: " + e.getMessage());
        }
        if (jars.isEmpty()) {
            throw new ExtensionException("plugin directory " + dir + ": no .jar files in it");
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            if (!Files.isReadable(jar)) {
                throw new ExtensionException("plugin jar " + jar + ": cannot read it");
            }
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new ExtensionException("plugin jar " + jar + ": " + e.getMessage());
            }
        }
        URLClassLoader loader = new URLClassLoader("fedlodrop-plugins", urls.toArray(URL[]::new),
                Extensions.class.getClassLoader());
        return load(loader, jars);
    }

    private static Extensions load(ClassLoader loader, List<Path> jars) throws ExtensionException {
        Map<ExtensionKind, Map<String, Registered>> byKind = new EnumMap<>(ExtensionKind.class);
        for (ExtensionKind kind : ExtensionKind.values()) {
            Map<String, Registered> types = new LinkedHashMap<>();
            List<Registered> found = new ArrayList<>();
            try {
                for (ServiceLoader.Provider<? extends Extension<?>> provider
                        : ServiceLoader.load(kind.service(), loader).stream().toList()) {
                    found.add(register(kind, provider, loader));
                }
            } catch (ServiceConfigurationError e) {
                throw new ExtensionException("cannot load a " + kind.noun() + " plugin: " + describe(e));
            }
            // Built-ins first in their registration order, then plugins by jar and type, so that listings do not
            // depend on the order of the class path (the sort is stable).
            found.sort((x, y) -> x.builtIn() != y.builtIn() ? Boolean.compare(!x.builtIn(), !y.builtIn())
                    : x.builtIn() ? 0 : java.util.Comparator.comparing(Registered::origin)
                            .thenComparing(Registered::type).compare(x, y));
            for (Registered registered : found) {
                Registered earlier = types.putIfAbsent(registered.type(), registered);
                if (earlier != null) {
                    throw new ExtensionException(registered.origin() + ": " + kind.noun() + " type " + quoted(registered.type())
                            + " is already registered by " + earlier.origin() + " (choose another type name)");
                }
            }
            byKind.put(kind, Collections.unmodifiableMap(types));
        }
        return new Extensions(byKind, jars, loader);
    }

    private static Registered register(ExtensionKind kind, ServiceLoader.Provider<? extends Extension<?>> provider,
                                       ClassLoader loader) throws ExtensionException {
        String origin = origin(provider.type(), loader);
        Extension<?> extension;
        String type;
        try {
            extension = provider.get();
            type = extension.type();
            if (extension.settingsType() == null || !extension.settingsType().isRecord()) {
                throw new ExtensionException(origin + ": " + kind.noun() + " " + provider.type().getName()
                        + ": settingsType() must be a record class, got " + extension.settingsType());
            }
            if (extension.defaultSettings() == null || extension.defaultSettings().getClass() != extension.settingsType()) {
                throw new ExtensionException(origin + ": " + kind.noun() + " " + provider.type().getName()
                        + ": defaultSettings() must return a " + extension.settingsType().getSimpleName());
            }
        } catch (ServiceConfigurationError e) {
            throw new ExtensionException(origin + ": cannot load " + kind.noun() + " " + provider.type().getName() + ": "
                    + describe(e));
        } catch (RuntimeException | LinkageError e) {
            throw new ExtensionException(origin + ": " + kind.noun() + " " + provider.type().getName() + " failed: " + e);
        }
        if (type == null || !type.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new ExtensionException(origin + ": " + kind.noun() + " " + provider.type().getName()
                    + ": expected a type name of lower-case letters, digits, '.' and '-', got " + quoted(String.valueOf(type)));
        }
        return new Registered(kind, extension, origin);
    }

    /** {@code built-in} for classes of fedlodrop itself, else the jar's file name. */
    private static String origin(Class<?> type, ClassLoader plugins) {
        if (type.getClassLoader() != plugins || plugins == Extensions.class.getClassLoader()) {
            return BUILT_IN;
        }
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
        } catch (Exception e) {
            return type.getName();
        }
    }

    private static String describe(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            message.append(": ").append(cause);
        }
        return message.toString();
    }

    private static String quoted(String text) {
        return "'" + text + "'";
    }

    public Optional<Registered> find(ExtensionKind kind, String type) {
        return Optional.ofNullable(byKind.get(kind).get(type));
    }

    /** The kind's types, built-ins first. */
    public List<String> types(ExtensionKind kind) {
        return List.copyOf(byKind.get(kind).keySet());
    }

    public List<Registered> all(ExtensionKind kind) {
        return List.copyOf(byKind.get(kind).values());
    }

    /** The plugin jars, in the order they were read; empty for the built-ins alone. */
    public List<Path> jars() {
        return jars;
    }

    /** The class loader that sees the plugins' classes (their settings records are bound through it). */
    public ClassLoader classLoader() {
        return loader;
    }
}
