import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks what Maven Central's validation asks of a deployment against the artifacts a release build left in each
 * module's target folder, before anything is uploaded. Run by release/check-staged.sh, which builds them and
 * writes the reactor's effective POMs; exits non-zero with one line per problem.
 *
 * <p>Every published module (one that does not set maven.deploy.skip): a POM with name, description, url, a
 * license with name and url, a developer, scm url and connection, and issueManagement, the project's home (url,
 * scm and issueManagement) the same in all of them (the BOM repeats the parent's). Every published jar: its
 * sources and Javadoc jars beside it, and a Javadoc page for each public type of the jar's API packages (all but
 * "internal" ones). The BOM manages exactly the published jars, at the reactor's version, and nothing else. With
 * --signed, an .asc signature beside every file.
 */
public class CheckStaged {

    private final List<String> problems = new ArrayList<>();
    private final boolean signed;

    /** The first published POM's url, scm and issueManagement, which every other one must repeat. */
    private String home;

    private CheckStaged(boolean signed) {
        this.signed = signed;
    }

    public static void main(String[] args) throws Exception {
        CheckStaged check = new CheckStaged(List.of(args).contains("--signed"));
        int published = check.run(Path.of(args[0]));
        if (!check.problems.isEmpty()) {
            check.problems.forEach(problem -> System.err.println("NOT READY FOR CENTRAL: " + problem));
            System.exit(1);
        }
        System.out.println("Ready for Central: " + published + " published artifacts checked.");
    }

    private int run(Path effectivePoms) throws Exception {
        Element root = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(effectivePoms.toFile())
                .getDocumentElement();
        List<Element> projects = root.getTagName().equals("project") ? List.of(root) : children(root, "project");
        Set<String> publishedJars = new TreeSet<>();
        Element bom = null;
        int published = 0;
        for (Element project : projects) {
            String id = text(project, "artifactId");
            if ("true".equals(text(child(project, "properties"), "maven.deploy.skip"))) {
                System.out.println("not published: " + id);
                continue;
            }
            published++;
            checkPom(id, project);
            if (List.of("", "jar").contains(text(project, "packaging"))) {
                publishedJars.add(text(project, "groupId") + ":" + id + ":" + text(project, "version"));
                checkJars(id, project);
            }
            if (id.endsWith("-bom")) {
                bom = project;
            }
        }
        checkBom(bom, publishedJars);
        return published;
    }

    private void checkPom(String id, Element project) {
        for (String field : List.of("groupId", "artifactId", "version", "name", "description", "url")) {
            require(!text(project, field).isBlank(), id + ": the POM has no <" + field + ">");
        }
        Element license = child(child(project, "licenses"), "license");
        require(!text(license, "name").isBlank() && !text(license, "url").isBlank(),
                id + ": the POM has no <license> with a name and a url");
        Element developer = child(child(project, "developers"), "developer");
        require(!text(developer, "name").isBlank() || !text(developer, "id").isBlank(),
                id + ": the POM has no <developer>");
        Element scm = child(project, "scm");
        require(!text(scm, "url").isBlank() && !text(scm, "connection").isBlank(),
                id + ": the POM has no <scm> with a url and a connection");
        require(!text(child(project, "issueManagement"), "url").isBlank(), id + ": the POM has no <issueManagement>");
        String projectHome = "url " + text(project, "url") + ", scm " + text(scm, "url") + " "
                + text(scm, "connection") + " " + text(scm, "developerConnection") + ", issueManagement "
                + text(child(project, "issueManagement"), "url");
        if (home == null) {
            home = projectHome;
        }
        require(home.equals(projectHome), id + ": the POM's home (" + projectHome + ") is not the other POMs' (" + home
                + ")");
        Element build = child(project, "build");
        Path pom = Path.of(text(build, "directory")).getParent().resolve("pom.xml");
        requireSigned(pom);
    }

    private void checkJars(String id, Element project) throws IOException {
        Element build = child(project, "build");
        Path target = Path.of(text(build, "directory"));
        String name = text(build, "finalName");
        Path jar = target.resolve(name + ".jar");
        Path sources = target.resolve(name + "-sources.jar");
        Path javadoc = target.resolve(name + "-javadoc.jar");
        for (Path file : List.of(jar, sources, javadoc)) {
            require(Files.isRegularFile(file), id + ": " + file + " is missing");
            requireSigned(file);
        }
        if (Files.isRegularFile(jar) && Files.isRegularFile(javadoc)) {
            checkJavadoc(id, jar, javadoc);
        }
    }

    /** Each public type of an API package (not "internal") in the jar has its page in the Javadoc jar. */
    private void checkJavadoc(String id, Path jar, Path javadoc) throws IOException {
        Set<String> pages = new TreeSet<>();
        try (JarFile docs = new JarFile(javadoc.toFile())) {
            docs.stream().map(ZipEntry::getName).forEach(pages::add);
        }
        int types = 0;
        try (JarFile classes = new JarFile(jar.toFile())) {
            for (String entry : classes.stream().map(ZipEntry::getName).toList()) {
                if (!entry.endsWith(".class") || entry.contains("/internal/") || entry.endsWith("-info.class")
                        || !entry.contains("/") || !isPublicType(classes, entry)) {
                    continue;
                }
                types++;
                String page = entry.substring(0, entry.length() - ".class".length()).replace('$', '.') + ".html";
                // A modular jar's pages are under a folder named after the module.
                require(pages.contains(page) || pages.stream().anyMatch(p -> p.endsWith("/" + page)),
                        id + ": " + javadoc.getFileName() + " has no page " + page);
            }
        }
        require(types > 0, id + ": " + jar.getFileName() + " has no public type");
        System.out.println(id + ": jar, sources and Javadoc jars; " + types + " public types, each with its Javadoc page");
    }

    /** Reads the class file's access flags and, for a nested class, its InnerClasses entry for itself. */
    private static boolean isPublicType(JarFile jar, String entry) throws IOException {
        byte[] bytes;
        try (var in = jar.getInputStream(jar.getEntry(entry))) {
            bytes = in.readAllBytes();
        }
        ClassFile file = new ClassFile(bytes);
        return file.isPublicType();
    }

    private void checkBom(Element bom, Set<String> publishedJars) {
        require(bom != null, "no published *-bom module");
        if (bom == null) {
            return;
        }
        Set<String> managed = new TreeSet<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            managed.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId") + ":"
                    + text(dependency, "version"));
        }
        require(managed.equals(publishedJars),
                "the BOM manages " + managed + " but the published jars are " + publishedJars);
    }

    private void requireSigned(Path file) {
        if (signed) {
            Path signature = file.resolveSibling(file.getFileName() + ".asc");
            require(Files.isRegularFile(signature), signature + " is missing");
        }
    }

    private void require(boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            NodeList nodes = parent.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                Node node = nodes.item(i);
                if (node instanceof Element && ((Element) node).getTagName().equals(tag)) {
                    found.add((Element) node);
                }
            }
        }
        return found;
    }

    private static Element child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String text(Element parent, String tag) {
        Element element = child(parent, tag);
        return element == null ? "" : element.getTextContent().trim();
    }

    /** Just enough of the class file format to tell whether a class is public, or nested in public types only. */
    private static final class ClassFile {
        private static final int PUBLIC = 0x0001;
        private final java.nio.ByteBuffer buffer;
        private final String[] utf8;
        private final int[] classNameIndex;

        ClassFile(byte[] bytes) {
            buffer = java.nio.ByteBuffer.wrap(bytes);
            buffer.position(8);
            int count = buffer.getShort() & 0xFFFF;
            utf8 = new String[count];
            classNameIndex = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = buffer.get() & 0xFF;
                switch (tag) {
                    case 1 -> {
                        byte[] text = new byte[buffer.getShort() & 0xFFFF];
                        buffer.get(text);
                        utf8[i] = new String(text, java.nio.charset.StandardCharsets.UTF_8);
                    }
                    case 7 -> classNameIndex[i] = buffer.getShort() & 0xFFFF;
                    case 8, 16, 19, 20 -> buffer.getShort();
                    case 15 -> {
                        buffer.get();
                        buffer.getShort();
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> buffer.getInt();
                    case 5, 6 -> {
                        buffer.getLong();
                        i++;
                    }
                    default -> throw new IllegalStateException("constant pool tag " + tag);
                }
            }
        }

        boolean isPublicType() {
            int access = buffer.getShort() & 0xFFFF;
            String self = utf8[classNameIndex[buffer.getShort() & 0xFFFF]];
            buffer.getShort();
            int interfaces = buffer.getShort() & 0xFFFF;
            buffer.position(buffer.position() + 2 * interfaces);
            skipMembers();
            skipMembers();
            int attributes = buffer.getShort() & 0xFFFF;
            for (int i = 0; i < attributes; i++) {
                String name = utf8[buffer.getShort() & 0xFFFF];
                int length = buffer.getInt();
                int end = buffer.position() + length;
                if (name.equals("InnerClasses")) {
                    return innerAccess(self, access);
                }
                buffer.position(end);
            }
            return (access & PUBLIC) != 0;
        }

        /** A nested class's own flags are in the InnerClasses entry that names it; so are its enclosing classes'. */
        private boolean innerAccess(String self, int access) {
            int entries = buffer.getShort() & 0xFFFF;
            java.util.Map<String, Integer> flags = new java.util.HashMap<>();
            java.util.Map<String, String> outer = new java.util.HashMap<>();
            for (int i = 0; i < entries; i++) {
                int inner = buffer.getShort() & 0xFFFF;
                int outerIndex = buffer.getShort() & 0xFFFF;
                buffer.getShort();
                int innerFlags = buffer.getShort() & 0xFFFF;
                String innerName = utf8[classNameIndex[inner]];
                flags.put(innerName, innerFlags);
                if (outerIndex != 0) {
                    outer.put(innerName, utf8[classNameIndex[outerIndex]]);
                } else {
                    flags.put(innerName, 0);
                }
            }
            if (!flags.containsKey(self)) {
                return (access & PUBLIC) != 0;
            }
            for (String current = self; current != null; current = outer.get(current)) {
                Integer currentFlags = flags.get(current);
                if (currentFlags != null && (currentFlags & PUBLIC) == 0) {
                    return false;
                }
                if (currentFlags == null) {
                    return true;
                }
            }
            return true;
        }

        private void skipMembers() {
            int count = buffer.getShort() & 0xFFFF;
            for (int i = 0; i < count; i++) {
                buffer.position(buffer.position() + 6);
                int attributes = buffer.getShort() & 0xFFFF;
                for (int a = 0; a < attributes; a++) {
                    buffer.getShort();
                    int length = buffer.getInt();
                    buffer.position(buffer.position() + length);
                }
            }
        }
    }
}
