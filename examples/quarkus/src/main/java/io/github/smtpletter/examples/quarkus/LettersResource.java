package io.github.smtpletter.examples.quarkus;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.apache.camel.ProducerTemplate;

/** {@code POST /letters}: a letter or an array of letters as JSON in, one result per letter as JSON out. */
@Path("/letters")
public class LettersResource {

    @Inject
    ProducerTemplate producer;

    /**
     * Sends the letters.
     *
     * @param  json a letter object or an array of them
     * @return      a JSON array with one result per letter, in order
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String send(String json) {
        return producer.requestBody("direct:letters", json, String.class);
    }
}
