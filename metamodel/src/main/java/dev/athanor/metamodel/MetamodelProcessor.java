package dev.athanor.metamodel;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * Writes the metamodel of each {@code @Entity} class: {@code User_} beside {@code User} ({@code
 * Outer_User_} for a nested class), with a {@code MetaAttribute} per mapped field (every instance
 * field that is neither {@code transient} nor {@code @Transient}, as the registry maps them) and a
 * {@code mapper()} method. The attributes find their mapping when first used, so the entity may be
 * mapped after the metamodel class loads.
 *
 * <p>Use it by adding {@code athanor-metamodel} to the compiler's annotation processor path.
 */
@SupportedAnnotationTypes("dev.athanor.session.Entity")
public final class MetamodelProcessor extends AbstractProcessor {
  private static final String TRANSIENT = "dev.athanor.session.Transient";

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (TypeElement annotation : annotations) {
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        if (e.getKind() != ElementKind.CLASS) {
          error(e, "@Entity goes on a class");
          continue;
        }
        TypeElement type = (TypeElement) e;
        if (type.getModifiers().contains(Modifier.PRIVATE)) {
          warn(type, "no metamodel for a private class: its metamodel could not name it");
          continue;
        }
        try {
          write(type);
        } catch (IOException x) {
          error(type, "could not write the metamodel of " + type + ": " + x.getMessage());
        }
      }
    }
    return false;
  }

  private void write(TypeElement type) throws IOException {
    String pkg = packageOf(type);
    String name = metamodelName(type);
    String entity = type.getQualifiedName().toString();
    List<String> fields = new ArrayList<>();
    for (Element m : type.getEnclosedElements()) {
      if (m.getKind() != ElementKind.FIELD) {
        continue;
      }
      VariableElement f = (VariableElement) m;
      Set<Modifier> mods = f.getModifiers();
      if (mods.contains(Modifier.STATIC) || mods.contains(Modifier.TRANSIENT) || isTransient(f)) {
        continue;
      }
      String fieldName = f.getSimpleName().toString();
      fields.add(
          "  /** The mapped attribute {@code "
              + fieldName
              + "}. */\n"
              + "  public static final dev.athanor.session.MetaAttribute<"
              + entity
              + ", "
              + boxed(f.asType())
              + "> "
              + fieldName
              + " =\n      dev.athanor.session.MetaAttribute.of("
              + entity
              + ".class, \""
              + fieldName
              + "\");\n");
    }
    StringBuilder src = new StringBuilder();
    // A comment, not @Generated: that annotation's module (java.compiler) is not one a program on
    // the module path reads.
    src.append("// Written by ").append(MetamodelProcessor.class.getName()).append(".\n");
    if (!pkg.isEmpty()) {
      src.append("package ").append(pkg).append(";\n\n");
    }
    src.append("/** The metamodel of {@link ")
        .append(entity)
        .append("}: its mapped attributes, for typed queries. */\n")
        .append("public final class ")
        .append(name)
        .append(" {\n  private ")
        .append(name)
        .append("() {}\n\n")
        .append("  /** Returns the mapper of the class (map it with a Registry first). */\n")
        .append("  public static dev.athanor.session.Mapper<")
        .append(entity)
        .append("> mapper() {\n    return dev.athanor.session.Registry.mapperOf(")
        .append(entity)
        .append(".class);\n  }\n");
    for (String f : fields) {
      src.append('\n').append(f);
    }
    src.append("}\n");
    String qualified = pkg.isEmpty() ? name : pkg + "." + name;
    try (Writer w = processingEnv.getFiler().createSourceFile(qualified, type).openWriter()) {
      w.write(src.toString());
    }
  }

  private static boolean isTransient(VariableElement f) {
    return f.getAnnotationMirrors().stream()
        .anyMatch(a -> a.getAnnotationType().toString().equals(TRANSIENT));
  }

  private String boxed(TypeMirror t) {
    if (t.getKind().isPrimitive()) {
      return processingEnv
          .getTypeUtils()
          .boxedClass((javax.lang.model.type.PrimitiveType) t)
          .getQualifiedName()
          .toString();
    }
    // Declared types as written, without type-use annotations (a @Nullable on a field type).
    return processingEnv.getTypeUtils().erasure(t).toString().replaceAll("@\\S+\\s+", "");
  }

  private String packageOf(TypeElement type) {
    PackageElement p = processingEnv.getElementUtils().getPackageOf(type);
    return p.isUnnamed() ? "" : p.getQualifiedName().toString();
  }

  /** {@code User_} for a top-level class, {@code Outer_User_} for a nested one. */
  private static String metamodelName(TypeElement type) {
    StringBuilder b = new StringBuilder(type.getSimpleName());
    Element outer = type.getEnclosingElement();
    while (outer instanceof TypeElement t) {
      b.insert(0, t.getSimpleName() + "_");
      outer = t.getEnclosingElement();
    }
    return b.append('_').toString();
  }

  private void error(Element e, String message) {
    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, e);
  }

  private void warn(Element e, String message) {
    processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, message, e);
  }
}
