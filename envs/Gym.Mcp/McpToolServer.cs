using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Envs.Tools;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gym.Mcp;

/// <summary>
/// Serves a Gym tool domain as an MCP server (<c>gym mcp serve --domain NAME</c>): its tools are listed with their
/// JSON Schemas, and calls run in one episode of the domain (the problem of <c>seed</c>, so stateful domains such
/// as the shop keep their database for the whole session). Schema violations and tool errors come back as error
/// results with the message, as the protocol expects. Over HTTP see <see cref="McpHttpToolServer"/>.
/// </summary>
public static class McpToolServer
{
    /// <summary>Runs the server on standard input and output until the client disconnects.</summary>
    public static async Task RunStdioAsync(IToolDomain domain, long seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        using IToolEpisode episode = domain.Start(seed);
        await using StdioServerTransport transport = new("gym");
        await using McpServer server = McpServer.Create(transport, Options(domain, episode));
        await server.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The server's description and handlers for one session, whose calls all run in <paramref name="episode"/>.</summary>
    internal static McpServerOptions Options(IToolDomain domain, IToolEpisode episode)
    {
        // A session may send calls concurrently; an episode (a database connection, say) takes them one at a time.
        Lock turn = new();
        return new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "gym", Version = typeof(McpToolServer).Assembly.GetName().Version?.ToString() ?? "1" },
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
            Handlers = new McpServerHandlers
            {
                ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [.. domain.Tools.Select(Describe)] }),
                CallToolHandler = (request, _) =>
                {
                    lock (turn)
                        return ValueTask.FromResult(Call(domain, episode, request.Params?.Name ?? "", request.Params?.Arguments));
                },
            },
        };
    }

    private static Tool Describe(Gym.Core.ToolSpec spec) => new()
    {
        Name = spec.Name,
        Description = spec.Description,
        InputSchema = JsonDocument.Parse(spec.ParametersSchema).RootElement.Clone(),
    };

    /// <summary>One call: schema check, then the tool; every failure is an error result, never an exception.</summary>
    public static CallToolResult Call(IToolDomain domain, IToolEpisode episode, string name, IDictionary<string, JsonElement>? arguments)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(episode);
        JsonObject args = JsonSerializer.SerializeToNode(arguments ?? new Dictionary<string, JsonElement>()) as JsonObject ?? [];
        if (ToolCallCheck.Problem(domain.Tools, name, args) is { } problem)
            return Error(problem);
        try
        {
            return new CallToolResult { Content = [new TextContentBlock { Text = episode.Invoke(name, args).ToJsonString(ToolJson.Options) }] };
        }
        catch (ToolException e)
        {
            return Error(e.Message);
        }
    }

    private static CallToolResult Error(string message) => new() { Content = [new TextContentBlock { Text = message }], IsError = true };
}
