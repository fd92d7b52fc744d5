package org.macronet.common.config;

/**
 * Typed reads of a resolved job configuration, for code that must not depend on how it was
 * parsed (a system plugin reading its own {@code simulation.<system>.*} keys). Every read of a
 * key that is missing or of the wrong type throws a {@link ConfigException} naming the key.
 */
public interface Settings {

  String string(String key);

  long longValue(String key);

  int intValue(String key);

  double doubleValue(String key);

  boolean booleanValue(String key);
}
