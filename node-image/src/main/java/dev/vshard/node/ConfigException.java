package dev.vshard.node;

/** Bad configuration: names the setting, the value given and what is allowed. The process exits with 2. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String setting, String value, String allowed) {
    super("invalid " + setting + "=" + (value == null ? "<unset>" : "'" + value + "'") + ": " + allowed);
  }
}
