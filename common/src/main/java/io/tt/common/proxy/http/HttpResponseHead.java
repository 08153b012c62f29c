package io.tt.common.proxy.http;

/** A parsed response head: version 1.{@code minorVersion}, status 100..599, reason phrase (may be empty). */
public record HttpResponseHead(int minorVersion, int status, String reason, HttpFields fields) {
}
