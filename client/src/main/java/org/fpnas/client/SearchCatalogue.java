package org.fpnas.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fpnas.schemas.Topics;

/**
 * The teams that have searches on a cluster: every {@code fpnas.<team>.searches} topic the caller
 * may see.
 */
public final class SearchCatalogue {
  private SearchCatalogue() {}

  public static List<String> teams(String bootstrapServers, Map<String, String> clientSettings) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      TreeSet<String> teams = new TreeSet<>();
      for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
        var m = Topics.SEARCHES_PATTERN.matcher(topic);
        if (m.matches()) {
          teams.add(m.group(1));
        }
      }
      return new ArrayList<>(teams);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list topics at " + bootstrapServers + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    }
  }
}
