package dev.loopharness.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a package as text, one line per type and per member a user can reach: public and protected
 * types, constructors, methods and fields, with generic signatures, modifiers, supertypes and annotation defaults.
 * Private and package-private members, synthetic and bridge methods are left out, so only a change a user could
 * see changes the text.
 */
final class ApiSignature {

    private ApiSignature() {}

    /** The signature of every accessible type in {@code packageName}, found where {@code member} was loaded from. */
    static List<String> ofPackage(String packageName, Class<?> member) {
        List<String> lines = new ArrayList<>();
        for (Class<?> type : typesOf(packageName, member)) {
            lines.addAll(of(type));
        }
        return lines;
    }

    static List<String> of(Class<?> type) {
        List<String> lines = new ArrayList<>();
        lines.add(header(type));
        List<String> members = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (visible(field) && !field.isSynthetic()) {
                members.add("  field " + modifiers(field.getModifiers())
                        + field.getGenericType().getTypeName() + " " + field.getName());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor) && !constructor.isSynthetic() && !type.isEnum()) {
                members.add("  constructor " + executable(constructor, ""));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method) && !method.isSynthetic() && !method.isBridge()) {
                members.add("  method " + method(method));
            }
        }
        members.sort(null);
        lines.addAll(members);
        return lines;
    }

    private static String header(Class<?> type) {
        StringBuilder text = new StringBuilder(kind(type)).append(' ').append(type.getName());
        text.append(typeParameters(type.getTypeParameters()));
        List<String> supertypes = new ArrayList<>();
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && !type.isEnum() && !type.isRecord() && superclass != Object.class) {
            supertypes.add("extends " + superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            supertypes.add((type.isInterface() ? "extends " : "implements ") + names(interfaces));
        }
        for (String supertype : supertypes) {
            text.append(' ').append(supertype);
        }
        return text.toString();
    }

    private static String kind(Class<?> type) {
        String modifiers = modifiers(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT);
        String sealed = type.isSealed() ? "sealed " : "";
        if (type.isAnnotation()) {
            return modifiers + "@interface";
        } else if (type.isInterface()) {
            return modifiers + sealed + "interface";
        } else if (type.isEnum()) {
            return modifiers + "enum";
        } else if (type.isRecord()) {
            return modifiers + "record";
        }
        String abstractness = Modifier.isAbstract(type.getModifiers()) ? "abstract " : "";
        return modifiers + abstractness + sealed + "class";
    }

    private static String method(Method method) {
        String text = executable(method, method.getGenericReturnType().getTypeName() + " ");
        Object defaultValue = method.getDefaultValue();
        return defaultValue == null ? text : text + " default " + value(defaultValue);
    }

    private static String executable(Executable executable, String returnType) {
        String modifiers = modifiers(executable.getModifiers() & ~Modifier.TRANSIENT & ~Modifier.VOLATILE);
        if (executable instanceof Method && ((Method) executable).isDefault()) {
            modifiers += "default ";
        }
        List<String> parameters = new ArrayList<>();
        for (Type parameter : executable.getGenericParameterTypes()) {
            parameters.add(parameter.getTypeName());
        }
        if (executable.isVarArgs()) {
            String last = parameters.remove(parameters.size() - 1);
            parameters.add(last.substring(0, last.length() - 2) + "...");
        }
        String typeParameters = typeParameters(executable.getTypeParameters());
        String name = executable instanceof Constructor
                ? executable.getDeclaringClass().getSimpleName()
                : executable.getName();
        Type[] exceptions = executable.getGenericExceptionTypes();
        return modifiers + (typeParameters.isEmpty() ? "" : typeParameters.trim() + " ") + returnType + name
                + "(" + String.join(", ", parameters) + ")"
                + (exceptions.length == 0 ? "" : " throws " + names(exceptions));
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        List<String> parameters = new ArrayList<>();
        for (TypeVariable<?> variable : variables) {
            Type[] bounds = variable.getBounds();
            boolean unbounded = bounds.length == 1 && bounds[0] == Object.class;
            parameters.add(variable.getName()
                    + (unbounded
                            ? ""
                            : " extends "
                                    + Arrays.stream(bounds)
                                            .map(Type::getTypeName)
                                            .collect(Collectors.joining(" & "))));
        }
        return "<" + String.join(", ", parameters) + ">";
    }

    private static String value(Object value) {
        if (value.getClass().isArray()) {
            Object[] elements = new Object[java.lang.reflect.Array.getLength(value)];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = value(java.lang.reflect.Array.get(value, i));
            }
            return Arrays.toString(elements);
        } else if (value instanceof String) {
            return '"' + (String) value + '"';
        } else if (value instanceof Class) {
            return ((Class<?>) value).getName() + ".class";
        }
        return String.valueOf(value);
    }

    private static String names(Type[] types) {
        return Arrays.stream(types).map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static String modifiers(int modifiers) {
        String text = Modifier.toString(modifiers);
        return text.isEmpty() ? "" : text + " ";
    }

    private static boolean visible(Member member) {
        return (member.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
    }

    /** A type a user can name: public or protected, and so is every type that encloses it. */
    private static boolean visible(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getEnclosingClass()) {
            if (current.isAnonymousClass()
                    || current.isLocalClass()
                    || current.isSynthetic()
                    || (current.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The visible types of one package (not its subpackages), sorted by name. */
    private static List<Class<?>> typesOf(String packageName, Class<?> member) {
        String prefix = packageName.replace('.', '/') + "/";
        List<Class<?>> types = new ArrayList<>();
        for (String entry : entries(location(member), prefix)) {
            String relative = entry.substring(prefix.length());
            if (relative.endsWith(".class")
                    && !relative.contains("/")
                    && !relative.startsWith("module-info")
                    && !relative.startsWith("package-info")) {
                Class<?> type =
                        load(packageName + "." + relative.substring(0, relative.length() - ".class".length()), member);
                if (visible(type)) {
                    types.add(type);
                }
            }
        }
        types.sort((a, b) -> a.getName().compareTo(b.getName()));
        return types;
    }

    private static Path location(Class<?> member) {
        try {
            return Path.of(Objects.requireNonNull(member.getProtectionDomain().getCodeSource())
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> entries(Path location, String prefix) {
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location.resolve(prefix))) {
                    return files.map(file -> prefix + file.getFileName()).collect(Collectors.toList());
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.stream()
                        .map(e -> e.getName())
                        .filter(name -> name.startsWith(prefix))
                        .collect(Collectors.toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name, Class<?> member) {
        try {
            return Class.forName(name, false, member.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
