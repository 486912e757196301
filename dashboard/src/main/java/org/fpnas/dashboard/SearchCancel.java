package org.fpnas.dashboard;

import io.javalin.http.ConflictResponse;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.ServiceUnavailableResponse;
import java.util.Objects;
import org.apache.kafka.common.errors.AuthorizationException;
import org.fpnas.admin.KafkaLoginCheck;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.history.SearchLog;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The dashboard's cancel button: what {@code fpnas cancel} does ({@link SearchSpecs#cancellation}
 * published by a {@link SearchClient}), as the logged-in team's own principal, so that the broker's
 * ACLs decide what it may write, not the dashboard.
 */
final class SearchCancel implements Canceller {
  private final String bootstrapServers;
  private final SchemaStore schemas;
  private final KafkaLoginCheck login;
  private final TeamFeeds feeds;

  SearchCancel(
      String bootstrapServers, SchemaStore schemas, KafkaLoginCheck login, TeamFeeds feeds) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
    this.login = Objects.requireNonNull(login, "login");
    this.feeds = Objects.requireNonNull(feeds, "feeds");
  }

  @Override
  public String cancel(ScramCredentials as, String team, String searchId) {
    SearchLog log =
        feeds
            .search(team, searchId)
            .orElseThrow(
                () ->
                    new NotFoundResponse(
                        "no search "
                            + searchId
                            + " in team "
                            + team
                            + " that this dashboard may read"));
    SearchSpec cancellation;
    try {
      cancellation = SearchSpecs.cancellation(log);
    } catch (IllegalArgumentException e) {
      throw new ConflictResponse(e.getMessage());
    }
    try (SearchClient client = new SearchClient(bootstrapServers, schemas)) {
      login.clientPropertiesOf(as).forEach(client::clientProperty);
      client.publish(cancellation);
    } catch (IllegalStateException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof AuthorizationException) {
          throw new ForbiddenResponse(
              "the broker refused "
                  + as.user()
                  + " the cancel of "
                  + searchId
                  + ": "
                  + t.getMessage());
        }
      }
      throw new ServiceUnavailableResponse("cannot cancel " + searchId + ": " + e.getMessage());
    }
    return log.state();
  }
}
