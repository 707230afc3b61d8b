package dev.tracelight.samples.users;

/** A row of table {@code users}. */
public record User(long id, String name, String email) {}
