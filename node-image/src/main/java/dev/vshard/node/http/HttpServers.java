package dev.vshard.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.kv.DataRequest;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/** Builds the two Javalin servers with the node's JSON mapper, JSON errors, and (admin) the token filter. */
public final class HttpServers {

  private HttpServers() {
  }

  public static Javalin dataServer(ObjectMapper json) {
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
      cfg.jsonMapper(new JavalinJackson(json, false));
      cfg.http.maxRequestSize = DataRequest.MAX_VALUE_BYTES;
    });
    ErrorMapper.install(app);
    return app;
  }

  public static Javalin adminServer(ObjectMapper json, AdminToken token) {
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
      cfg.jsonMapper(new JavalinJackson(json, false));
      cfg.http.disableCompression(); // small JSON answers, and snapshots whose Content-Length must stay true
    });
    app.before(ctx -> {
      if (!token.matches(ctx.header("Authorization"))) {
        throw new ApiException(401, "Unauthorized", "missing or wrong bearer token in the Authorization header", null);
      }
    });
    ErrorMapper.install(app);
    return app;
  }
}
