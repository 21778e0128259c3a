package io.github.smtpletter.examples.quarkus;

import java.util.Collection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck.Result;
import org.apache.camel.health.HealthCheck.State;
import org.apache.camel.health.HealthCheckHelper;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Camel's readiness checks (the routes, the context and the letter-smtp producer checks) as one check in
 * {@code /q/health/ready}: DOWN when any of them is DOWN, with each check's state as data.
 */
@Readiness
@ApplicationScoped
public class CamelReadiness implements HealthCheck {

    @Inject
    CamelContext camelContext;

    @Override
    public HealthCheckResponse call() {
        Collection<Result> results = HealthCheckHelper.invokeReadiness(camelContext);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("camel-readiness").up();
        for (Result result : results) {
            response.withData(result.getCheck().getId(), result.getState().name());
            if (result.getState() == State.DOWN) {
                response.down();
            }
        }
        return response.build();
    }
}
