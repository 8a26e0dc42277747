using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProvenanceSet.Collection.Collecting;

/// <summary>One failed attempt, classified.</summary>
/// <param name="Transient">Worth retrying: 408, 409, 425, 429, 5xx (except 501, 505), a timeout, a refused or dropped connection.</param>
/// <param name="StatusCode">The HTTP status, when the server answered.</param>
/// <param name="Description">One line, without secrets.</param>
/// <param name="RetryAfter">The server's Retry-After (or retry-after-ms), when it sent one.</param>
internal readonly record struct AttemptFailure(bool Transient, int? StatusCode, string Description, TimeSpan? RetryAfter);

/// <summary>Sorts the exceptions of chat clients into transient failures and refusals.</summary>
internal static class FailureClassifier
{
    private const int MaxDescription = 300;

    public static AttemptFailure Classify(Exception exception, bool timedOut, TimeSpan timeout, string? secret)
    {
        if (timedOut)
        {
            return new AttemptFailure(true, null, $"no answer within the timeout of {Seconds(timeout)}", null);
        }

        return exception switch
        {
            ClientResultException { Status: 0 } e => new AttemptFailure(true, null, "connection failed: " + Clean(Innermost(e).Message, secret), null),
            ClientResultException e => FromStatus(e.Status, Clean(e.Message, secret), RetryAfter(e)),
            HttpRequestException { StatusCode: null } e => new AttemptFailure(true, null, "connection failed: " + Clean(Innermost(e).Message, secret), null),
            HttpRequestException { StatusCode: HttpStatusCode code } e => FromStatus((int)code, Clean(e.Message, secret), null),
            IOException or SocketException or TimeoutException => new AttemptFailure(true, null, "connection failed: " + Clean(exception.Message, secret), null),
            OperationCanceledException => new AttemptFailure(true, null, "the request was cancelled by the client (timeout)", null),
            _ => new AttemptFailure(false, null, $"{exception.GetType().Name}: {Clean(exception.Message, secret)}", null),
        };
    }

    public static bool IsTransientStatus(int status) => status is 408 or 409 or 425 or 429 || (status >= 500 && status is not 501 and not 505);

    private static AttemptFailure FromStatus(int status, string message, TimeSpan? retryAfter)
    {
        string prefix = $"HTTP {status}";
        string description = message.StartsWith(prefix, StringComparison.Ordinal) ? message : $"{prefix}: {message}";
        return new AttemptFailure(IsTransientStatus(status), status, description, retryAfter);
    }

    private static TimeSpan? RetryAfter(ClientResultException e)
    {
        var response = e.GetRawResponse();
        if (response is null)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out string? ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (response.Headers.TryGetValue("Retry-After", out string? value) && value is not null)
        {
            return ParseRetryAfter(value, DateTimeOffset.UtcNow);
        }

        return null;
    }

    /// <summary>Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).</summary>
    internal static TimeSpan? ParseRetryAfter(string value, DateTimeOffset now)
    {
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    /// <summary>One line, at most 300 characters, with the API key removed.</summary>
    internal static string Clean(string message, string? secret)
    {
        string text = Redact(message, secret).ReplaceLineEndings(" ");
        while (text.Contains("  ", StringComparison.Ordinal))
        {
            text = text.Replace("  ", " ", StringComparison.Ordinal);
        }

        text = text.Trim();
        return text.Length <= MaxDescription ? text : string.Concat(text.AsSpan(0, MaxDescription - 3), "...");
    }

    internal static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "***", StringComparison.Ordinal);

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
