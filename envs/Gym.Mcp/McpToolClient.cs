using Gym.Core;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Gym.Mcp;

/// <summary>
/// A connection to any MCP server, started as a command (stdio) or reached at an HTTP endpoint: its tools as Gym <see cref="ToolSpec"/>s, and calls
/// whose text results come back as strings (with whether the server flagged an error).
/// </summary>
public sealed class McpToolClient : IAsyncDisposable
{
    private readonly McpClient _client;

    private McpToolClient(McpClient client) => _client = client;

    /// <summary>Starts <paramref name="command"/> with <paramref name="arguments"/> and connects to it.</summary>
    public static async Task<McpToolClient> StartAsync(string command, IReadOnlyList<string> arguments, IDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        StdioClientTransport transport = new(new StdioClientTransportOptions
        {
            Name = Path.GetFileName(command),
            Command = command,
            Arguments = [.. arguments],
            EnvironmentVariables = environment is null ? null : new Dictionary<string, string?>(environment),
        });
        return new McpToolClient(await McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Connects to the server at <paramref name="endpoint"/> over Streamable HTTP, sending <paramref name="headers"/> with every request.</summary>
    public static async Task<McpToolClient> ConnectAsync(Uri endpoint, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        HttpClientTransport transport = new(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            Name = endpoint.Authority,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers is null ? null : new Dictionary<string, string>(headers),
        });
        return new McpToolClient(await McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The server's tools.</summary>
    public async Task<IReadOnlyList<ToolSpec>> ListToolsAsync(CancellationToken cancellationToken = default)
    {
        IList<McpClientTool> tools = await _client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. tools.Select(t => new ToolSpec(t.Name, t.Description, t.JsonSchema.GetRawText()))];
    }

    /// <summary>Calls a tool; returns its text content and whether it is an error.</summary>
    public async Task<(string Text, bool IsError)> CallAsync(string name, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        CallToolResult result = await _client.CallToolAsync(name, arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
        string text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        return (text, result.IsError == true);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
