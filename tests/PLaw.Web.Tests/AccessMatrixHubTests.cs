using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using PLaw.Web.Tests.Infrastructure;
using static PLaw.Web.Tests.Infrastructure.SignInServer;

namespace PLaw.Web.Tests;

/// <summary>
/// The access matrix on the hub <c>/hubs/runs</c> (issue #11): every principal × every hub method (Watch, Unwatch) over
/// each transport a client uses. Signed-in users (cookie) and valid tokens of any scope watch runs (the token travels in the
/// <c>Authorization</c> header while negotiating and as <c>?access_token=</c> on the WebSocket); anonymous callers and revoked,
/// expired or unknown tokens cannot even connect.
/// </summary>
[Collection(AccessMatrixCollection.Name)]
public sealed class AccessMatrixHubTests(SignInServer server)
{
    public static TheoryData<string, string, HttpTransportType> Rows()
    {
        var rows = new TheoryData<string, string, HttpTransportType>();
        foreach (var principal in Principals)
            foreach (var method in new[] { "Watch", "Unwatch" })
                foreach (var transport in new[] { HttpTransportType.WebSockets, HttpTransportType.LongPolling })
                    rows.Add(principal, method, transport);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task OnlyAnAuthenticatedCallerConnectsAndEveryOneOfThemMayWatch(string principal, string method, HttpTransportType transport)
    {
        await server.HttpAsync(principal);   // signs a cookie principal in
        var before = server.Snapshot();
        await using var hub = new HubConnectionBuilder().WithUrl($"{server.Server.BaseUrl}/hubs/runs", transport, options =>
        {
            if (IsToken(principal)) options.AccessTokenProvider = () => Task.FromResult<string?>(server.Secret(principal));
            else if (principal != Anonymous) options.Cookies = server.Cookies(principal);
        }).Build();

        var allowed = Users.Contains(principal) || IsValidToken(principal);
        if (!allowed)
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(HubConnectionState.Disconnected, hub.State);
        }
        else
        {
            await hub.StartAsync();
            if (method == "Unwatch") await hub.InvokeAsync("Watch", 1);
            await hub.InvokeAsync(method, 1);
            Assert.Equal(HubConnectionState.Connected, hub.State);
        }
        Assert.Equal(before, server.Snapshot());
    }
}
