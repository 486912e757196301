package org.fpnas.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.fpnas.schemas.TopicSpec;
import org.fpnas.schemas.Topics;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;

/** Topic creation against the real broker of testkit. */
@RealKafka
class TopicAdminIT {
  @Test
  void topicAdminCreatesIdempotentlyAndWaitsForLeaders(KafkaInfra infra) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
      String team = TestTopics.unique("team").toLowerCase().replaceAll("[^a-z0-9_-]", "-");
      List<TopicSpec> specs = Topics.forTeam(team).specs(3, 2);
      TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(30));
      TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(30));
      var names = TopicAdmin.existing(admin, Duration.ofSeconds(10));
      specs.forEach(s -> assertTrue(names.contains(s.name()), s.name()));
    }
  }
}
