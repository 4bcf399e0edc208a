using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.TestSupport.Circuits;

/// <summary>
/// A headless Blazor Server client: one user with a cookie jar, one circuit over the real <c>/_blazor</c> hub
/// (blazorpack protocol, WebSockets), render batches applied to a <see cref="CircuitDom"/> and acknowledged, JS interop
/// calls answered, UI events dispatched the way blazor.web.js does. It does what the browser's script does for a
/// server-rendered page, not what a browser does: no layout, no CSS, no real JavaScript (interop calls get null).
/// </summary>
public sealed partial class BlazorCircuitClient : IAsyncDisposable
{
    private static readonly string[] MouseEventArgsNames = ["detail", "screenX", "screenY", "clientX", "clientY", "offsetX", "offsetY", "pageX", "pageY", "movementX", "movementY", "button", "buttons"];

    private readonly Uri _baseAddress;
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;
    private readonly object _gate = new();
    private readonly List<(Func<CircuitDom, bool> Ready, TaskCompletionSource Done)> _waiters = [];
    private HubConnection? _hub;
    private string? _circuitSecret;
    private long _rendererInteropId = -1;
    private long _nextCallId;
    private long _nextJsObjectId;
    private Exception? _failure;

    public BlazorCircuitClient(Uri baseAddress)
    {
        _baseAddress = baseAddress;
        // Loopback only: no proxy. No automatic redirects, so a sign-in answers 302 as a browser sees it.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, CookieContainer = _cookies })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    /// <summary>The tree the circuit has rendered so far. Read it inside <see cref="Read{T}"/> (batches apply concurrently).</summary>
    public CircuitDom Dom { get; } = new();

    /// <summary>Render batches received (and acknowledged).</summary>
    public int Batches { get; private set; }

    /// <summary>JS interop calls the server made (answered with null or a fake object reference).</summary>
    public int JsCalls { get; private set; }

    public T Read<T>(Func<CircuitDom, T> read)
    {
        lock (_gate)
        {
            return read(Dom);
        }
    }

    /// <summary>Signs in through the static sign-in form (antiforgery token included); the cookie is kept for the circuit.</summary>
    public async Task SignInAsync(string email, string password, CancellationToken ct)
    {
        var response = await _http.PostSignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || !_cookies.GetCookies(_baseAddress).Any(c => c.Name.Contains("Identity", StringComparison.OrdinalIgnoreCase) || c.Name.Contains("Auth", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: HTTP {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    /// <summary>
    /// Loads <paramref name="path"/> (prerendered), starts a circuit for its server component markers the way
    /// blazor.web.js does (StartCircuit, then UpdateRootComponents) and waits until <paramref name="ready"/> holds.
    /// </summary>
    public async Task StartAsync(string path, Func<CircuitDom, bool> ready, TimeSpan timeout, CancellationToken ct)
    {
        if (_hub is not null)
        {
            throw new InvalidOperationException("This client already has a circuit.");
        }

        using var page = await _http.GetAsync(path, ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path}: HTTP {(int)page.StatusCode} {page.Headers.Location}");
        }

        var markers = ServerComponentMarker().Matches(html).Select(m => JsonNode.Parse(m.Groups[1].Value)!).ToArray();
        if (markers.Length == 0)
        {
            throw new InvalidOperationException($"GET {path}: no interactive server component in the page.");
        }

        var state = ComponentState().Match(html) is { Success: true } s ? s.Groups[1].Value : "";
        var operations = new JsonObject
        {
            ["batchId"] = 1,
            ["operations"] = new JsonArray(markers.Select((marker, i) => (JsonNode)new JsonObject
            {
                ["type"] = "add",
                ["ssrComponentId"] = i + 1,
                ["marker"] = marker,
            }).ToArray()),
        };

        _hub = BuildHub();
        await _hub.StartAsync(ct);
        _circuitSecret = await _hub.InvokeAsync<string?>("StartCircuit", _baseAddress.ToString(), new Uri(_baseAddress, path).ToString(), "[]", state, ct)
            ?? throw new InvalidOperationException($"The server refused to start a circuit for {path}.");
        await _hub.SendAsync("UpdateRootComponents", operations.ToJsonString(), state, ct);
        await WaitForAsync(ready, timeout, ct);
    }

    /// <summary>Client-side navigation inside the circuit (what a click on a NavLink does), then waits for <paramref name="ready"/>.</summary>
    public async Task NavigateAsync(string path, Func<CircuitDom, bool> ready, TimeSpan timeout, CancellationToken ct)
    {
        await Hub.SendAsync("OnLocationChanged", new Uri(_baseAddress, path).ToString(), null, true, ct);
        await WaitForAsync(ready, timeout, ct);
    }

    /// <summary>Dispatches a click on <paramref name="element"/>'s onclick handler through the circuit.</summary>
    public Task ClickAsync(CircuitNode element, CancellationToken ct)
    {
        ulong handler;
        lock (_gate)
        {
            handler = element.EventHandlers.TryGetValue("onclick", out var id)
                ? id
                : throw new InvalidOperationException($"<{element.Name}> has no onclick handler.");
        }

        if (Interlocked.Read(ref _rendererInteropId) < 0)
        {
            throw new InvalidOperationException("The renderer's interop object was never attached: events cannot be dispatched.");
        }

        var mouse = new JsonObject();
        foreach (var name in MouseEventArgsNames)
        {
            mouse[name] = name == "detail" ? 1 : 0;
        }

        foreach (var key in new[] { "ctrlKey", "shiftKey", "altKey", "metaKey" })
        {
            mouse[key] = false;
        }

        mouse["type"] = "click";
        var args = new JsonArray(
            new JsonObject { ["eventHandlerId"] = handler, ["eventName"] = "click", ["eventFieldInfo"] = null },
            mouse);
        var callId = Interlocked.Increment(ref _nextCallId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Hub.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", _rendererInteropId, args.ToJsonString(), ct);
    }

    /// <summary>Waits until <paramref name="ready"/> holds for the rendered tree (checked after every batch).</summary>
    public async Task WaitForAsync(Func<CircuitDom, bool> ready, TimeSpan timeout, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException($"The circuit failed: {_failure.Message}", _failure);
            }

            if (ready(Dom))
            {
                return;
            }

            _waiters.Add((ready, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The circuit did not render what was expected within {timeout.TotalSeconds:0} s ({Batches} batches received).");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_hub is not null)
            {
                if (_circuitSecret is not null)
                {
                    // What the browser's unload beacon does: the server disposes the circuit now instead of keeping
                    // it for a reconnection.
                    using var disconnect = new FormUrlEncodedContent(new Dictionary<string, string> { ["circuitId"] = _circuitSecret });
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    using var _ = await _http.PostAsync("_blazor/disconnect", disconnect, cts.Token);
                }

                await _hub.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            // The server is gone or going: nothing left to release on this side.
        }
        finally
        {
            _http.Dispose();
        }
    }

    private HubConnection Hub => _hub ?? throw new InvalidOperationException("Start the circuit first.");

    private HubConnection BuildHub()
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(_baseAddress, "_blazor"), options =>
            {
                options.Cookies = _cookies;
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.WebSocketConfiguration = ws => ws.Proxy = null;
            });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackHubProtocol>();
        var hub = builder.Build();
        // Generous: on a loaded machine a keep-alive can be late without the server being gone.
        hub.ServerTimeout = TimeSpan.FromMinutes(2);
        hub.HandshakeTimeout = TimeSpan.FromMinutes(1);

        hub.On("JS.RenderBatch", [typeof(long), typeof(byte[])], async args =>
        {
            var batchId = (long)args[0]!;
            string? error = null;
            lock (_gate)
            {
                try
                {
                    Dom.Apply((byte[])args[1]!);
                    Batches++;
                }
                catch (Exception ex) when (ex is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
                {
                    error = ex.Message;
                    _failure ??= new InvalidDataException($"Render batch {batchId} could not be applied: {ex.Message}", ex);
                }

                CompleteWaiters();
            }

            await hub.SendAsync("OnRenderCompleted", batchId, error);
        });

        // .NET 10: (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType).
        hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async args =>
        {
            var handle = (long)args[0]!;
            var identifier = (string)args[1]!;
            var resultType = (int)args[3]!;
            JsCalls++;
            if (identifier == "Blazor._internal.attachWebRendererInterop"
                && JsonNode.Parse((string)args[2]!) is JsonArray { Count: > 1 } interop
                && interop[1]?["__dotNetObject"] is { } id)
            {
                Interlocked.Exchange(ref _rendererInteropId, id.GetValue<long>());
            }

            if (handle != 0)
            {
                JsonNode? result = resultType == 1 // a JS object reference
                    ? new JsonObject { ["__jsObjectId"] = Interlocked.Increment(ref _nextJsObjectId) }
                    : JsResults.GetValueOrDefault(identifier)?.DeepClone();
                await hub.SendAsync("EndInvokeJSFromDotNet", handle, true, new JsonArray(handle, true, result).ToJsonString());
            }
        });

        hub.On("JS.Error", [typeof(string)], args =>
        {
            Fail(new InvalidOperationException($"The server reported a circuit error: {args[0]}"));
            return Task.CompletedTask;
        });

        hub.Closed += ex =>
        {
            Fail(new InvalidOperationException($"The circuit's connection closed{(ex is null ? "" : ": " + ex.Message)}.", ex));
            return Task.CompletedTask;
        };

        return hub;
    }

    /// <summary>Results for interop calls whose callers cannot take null.</summary>
    private static readonly Dictionary<string, JsonNode?> JsResults = new(StringComparer.Ordinal)
    {
        ["mudThemeProvider.getSystemDarkMode"] = false,
    };

    private void Fail(Exception failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(failure);
            }

            _waiters.Clear();
        }
    }

    private void CompleteWaiters()
    {
        foreach (var (ready, done) in _waiters.ToArray())
        {
            if (_failure is not null)
            {
                done.TrySetException(_failure);
            }
            else if (ready(Dom))
            {
                done.TrySetResult();
            }
        }
    }

    [GeneratedRegex("""<!--Blazor:(\{"type":"server".*?\})-->""")]
    private static partial Regex ServerComponentMarker();

    [GeneratedRegex("""<!--Blazor-Server-Component-State:([A-Za-z0-9+/=]+)-->""")]
    private static partial Regex ComponentState();
}
