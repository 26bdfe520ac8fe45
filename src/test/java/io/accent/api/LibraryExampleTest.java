package io.accent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.api.example.LibraryExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Use as a library" example: the same text as a compiled program that works. */
class LibraryExampleTest {

    static final Path SOURCE = Path.of("src/test/java/io/accent/api/example/LibraryExample.java");
    static final String NCF = "saved-models/ncf-synthetic";

    /** The text between the tag lines of {@link LibraryExample}'s source. */
    static String exampleRegion() throws Exception {
        String src = Files.readString(SOURCE);
        String begin = "// tag::example[]\n";
        String end = "// end::example[]";
        int a = src.indexOf(begin);
        int b = src.indexOf(end);
        assertTrue(a >= 0 && b > a, "tag lines missing in " + SOURCE);
        return src.substring(a + begin.length(), b);
    }

    /** The first java code block after the heading "## Use as a library" of README.md. */
    static String readmeBlock() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int h = readme.indexOf("\n## Use as a library\n");
        assertTrue(h >= 0, "README.md has no section 'Use as a library'");
        int next = readme.indexOf("\n## ", h + 1);
        String section = readme.substring(h, next < 0 ? readme.length() : next);
        int a = section.indexOf("```java\n");
        assertTrue(a >= 0, "no java block in the README's 'Use as a library'");
        int b = section.indexOf("```", a + 8);
        return section.substring(a + 8, b);
    }

    @Test
    void readmeShowsTheCompiledExample() throws Exception {
        assertEquals(exampleRegion(), readmeBlock());
    }

    @Test
    void readmeNamesThePomsCoordinates() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("\n## Use as a library\n"));
        for (String tag : List.of("groupId", "artifactId", "version")) {
            // the project's own coordinates come first in the pom, before any parent or dependency
            int a = pom.indexOf("<" + tag + ">");
            String element = pom.substring(a, pom.indexOf("</" + tag + ">", a) + tag.length() + 3);
            assertTrue(section.contains(element), () -> "README lacks " + element);
        }
    }

    @Test
    void exampleGivesTheCommandLinesExplanation() {
        String printed = Cli.captured(() -> LibraryExample.main(new String[0]));
        List<String> lines = printed.lines().toList();
        String text = Cli.run("explain", "--model", NCF, "--users", "2", "--k", "5");
        String prefix = "user 2, accent, k=5: ";
        String sentence =
                text.lines()
                        .filter(l -> l.startsWith(prefix))
                        .findFirst()
                        .orElseThrow()
                        .substring(prefix.length());
        assertTrue(lines.contains(sentence), () -> "the example printed\n" + printed);
        JsonNode j =
                Cli.json("explain", "--model", NCF, "--users", "2", "--k", "5", "--format", "json")
                        .get(0);
        List<Integer> removed = new ArrayList<>();
        j.get("removed").forEach(n -> removed.add(n.asInt()));
        assertEquals(
                "removed items " + removed + ", replacement " + j.get("replacement").asInt(),
                lines.get(lines.indexOf(sentence) + 1));
        // the top 5 as `accent recommend`
        JsonNode top =
                Cli.json("recommend", "--model", NCF, "--user", "2", "--k", "5", "--format", "json")
                        .get("items");
        for (int r = 0; r < 5; r++) {
            JsonNode t = top.get(r);
            assertEquals(
                    String.format(
                            "%d. %s (item %d, score %.3f)",
                            r + 1,
                            t.get("title").asText(),
                            t.get("item").asInt(),
                            (float) t.get("score").asDouble()),
                    lines.get(r));
        }
    }
}
