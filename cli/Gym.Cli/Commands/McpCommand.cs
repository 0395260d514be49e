using System.CommandLine;
using Gym.Envs.Tools;
using Gym.Envs.Tools.Calc;
using Gym.Envs.Tools.Retail;
using Gym.Envs.Tools.Search;
using Gym.Mcp;

namespace Gym.Cli.Commands;

/// <summary><c>gym mcp serve --domain NAME [--seed N] [--http [--host IP] [--port N]]</c>: a Gym tool domain as an MCP server.</summary>
internal static class McpCommand
{
    private static readonly Dictionary<string, IToolDomain> Domains = new(StringComparer.Ordinal)
    {
        ["calc"] = CalcDomain.Instance,
        ["search"] = SearchDomain.Instance,
        ["retail"] = RetailDomain.Instance,
    };

    public static Command Create()
    {
        Option<string> domainOption = new("--domain") { Description = $"The tool domain: {string.Join(", ", Domains.Keys)}.", Required = true };
        Option<long> seedOption = new("--seed") { Description = "The episode a session runs in (the shop's database, for retail).", DefaultValueFactory = _ => 0 };
        Option<bool> httpOption = new("--http") { Description = "Serve over Streamable HTTP at /mcp (one episode per session) instead of stdio." };
        Option<string> hostOption = new("--host") { Description = "With --http: the address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        Option<int> portOption = new("--port") { Description = "With --http: the port (0 picks a free one).", DefaultValueFactory = _ => 8001 };
        Command serve = new("serve", "Serve a Gym tool domain as an MCP server, over standard input and output or over HTTP.")
        {
            domainOption, seedOption, httpOption, hostOption, portOption,
        };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            string name = parse.GetValue(domainOption)!;
            if (!Domains.TryGetValue(name, out IToolDomain? domain))
                throw new ArgumentException($"Unknown tool domain '{name}'; known: {string.Join(", ", Domains.Keys)}.");
            long seed = parse.GetValue(seedOption);
            if (!parse.GetValue(httpOption))
            {
                await McpToolServer.RunStdioAsync(domain, seed, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            await using McpHttpToolServer server = await McpHttpToolServer.StartAsync(domain, seed, parse.GetValue(hostOption)!, parse.GetValue(portOption),
                loggers: GymHome.Loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
            // One line that scripts and tests read the address from.
            Console.WriteLine($"serving {name} over MCP on {server.Endpoint}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: the way this command is meant to end.
            }
            Console.WriteLine($"stopped: {server.Sessions.Started} sessions");
            return 0;
        });
        return new Command("mcp", "The Model Context Protocol: serve Gym's tool domains to outside agents.") { serve };
    }
}
