"""The doors' webhook routes, one module each: parse → dispatch → answer, in one direction.
`webhook.create_app` only assembles them with the REST API, health and metrics."""
