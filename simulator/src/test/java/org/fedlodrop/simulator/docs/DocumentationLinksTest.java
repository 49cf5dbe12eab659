package org.fedlodrop.simulator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/ resolves to a file or folder inside the repository: a
 * user who clones the project finds what the documents point to.
 */
class DocumentationLinksTest {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) ? here : here.getParent();
    }

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws Exception {
        Path root = repository().normalize();
        List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.walk(root.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).forEach(documents::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            Matcher links = LINK.matcher(Files.readString(document));
            while (links.find()) {
                String target = links.group(1);
                if (target.matches("[a-zA-Z][a-zA-Z+.-]*:.*") || target.startsWith("#")) {
                    continue; // a URL or an anchor in the same page
                }
                String path = target.replaceFirst("#.*$", "");
                Path resolved = document.getParent().resolve(path).normalize();
                checked++;
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(root.relativize(document) + ": " + target);
                }
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(30);
        assertThat(broken).as("links that do not resolve inside the repository").isEmpty();
    }
}
