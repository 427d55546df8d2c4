package dev.vshard.node.http;

import dev.vshard.node.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** The admin bearer token, read from the mounted Secret file. Compared in constant time. */
public final class AdminToken {
  private final String token;

  private AdminToken(String token) {
    this.token = token;
  }

  public static AdminToken fromFile(Path file) {
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (value.isEmpty()) {
        throw new ConfigException("VSHARD_ADMIN_TOKEN_FILE", file.toString(), "a file holding a non-empty token");
      }
      return new AdminToken(value);
    } catch (IOException e) {
      throw new ConfigException("VSHARD_ADMIN_TOKEN_FILE", file.toString(), "a readable file holding the admin token");
    }
  }

  public String value() {
    return token;
  }

  public String authorizationHeader() {
    return "Bearer " + token;
  }

  public boolean matches(String authorizationHeader) {
    if (authorizationHeader == null) {
      return false;
    }
    return MessageDigest.isEqual(authorizationHeader().getBytes(StandardCharsets.UTF_8), authorizationHeader.trim().getBytes(StandardCharsets.UTF_8));
  }
}
