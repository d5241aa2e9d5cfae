using System.Net.Http.Headers;
using System.Net.Sockets;

namespace PLaw.Cli.Shell;

/// <summary>How a command's errors name the dashboard it could not reach, and what they suggest.</summary>
/// <param name="Target">"the dashboard at http://…" or the bare address.</param>
/// <param name="Flag">The flag that gave the address, named when its host is unknown.</param>
internal sealed record DashboardWording(string Target, string Host, string Flag, string TimeoutHint, string RefusedHint, Func<string, Exception> Fail);

/// <summary>
/// One authenticated GET to a dashboard's API (<c>plaw login</c>, <c>plaw worker --registry https://…</c>) under one deadline,
/// with the ways of not reaching it put in words: no answer in time, connection refused, unknown host. The caller reads the answer.
/// </summary>
internal sealed class DashboardCall : IDisposable
{
    private readonly HttpClient http;
    private readonly CancellationTokenSource deadline;
    private readonly TimeSpan timeout;

    public DashboardCall(TimeSpan timeout, CancellationToken ct)
    {
        this.timeout = timeout;
        // Redirects are answered, not followed: a token must not be sent on to wherever a redirect points.
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = timeout }) { Timeout = Timeout.InfiniteTimeSpan };
        deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
    }

    /// <summary>Cancelled when the caller cancels or the timeout passes: for reading the answer too.</summary>
    public CancellationToken Deadline => deadline.Token;

    public async Task<HttpResponseMessage> GetAsync(Uri endpoint, string token, HttpCompletionOption completion, DashboardWording wording,
        CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            return await http.SendAsync(request, completion, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw wording.Fail($"{wording.Target} did not answer within {timeout.TotalSeconds:0} s ({wording.TimeoutHint}).");
        }
        catch (HttpRequestException e)
        {
            var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
            throw wording.Fail(socket?.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"could not connect to {wording.Target}: connection refused ({wording.RefusedHint}).",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"could not find the host '{wording.Host}' (check {wording.Flag}).",
                _ => $"could not reach {wording.Target}: {e.Message}",
            });
        }
    }

    public void Dispose()
    {
        deadline.Dispose();
        http.Dispose();
    }
}
