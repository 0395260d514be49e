using System.CommandLine;
using Gym.Envs.Tools;
using Gym.Envs.Tools.Calc;
using Gym.Envs.Tools.Retail;
using Gym.Envs.Tools.Search;
using Gym.Mcp;

namespace Gym.Cli.Commands;

/// <summary><c>gym mcp serve --domain NAME [--seed N]</c>: a Gym tool domain as an MCP server on stdio.</summary>
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
        Option<long> seedOption = new("--seed") { Description = "The episode the session runs in (the shop's database, for retail).", DefaultValueFactory = _ => 0 };
        Command serve = new("serve", "Serve a Gym tool domain as an MCP server over standard input and output.") { domainOption, seedOption };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            string name = parse.GetValue(domainOption)!;
            if (!Domains.TryGetValue(name, out IToolDomain? domain))
                throw new ArgumentException($"Unknown tool domain '{name}'; known: {string.Join(", ", Domains.Keys)}.");
            await McpToolServer.RunStdioAsync(domain, parse.GetValue(seedOption), cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return new Command("mcp", "The Model Context Protocol: serve Gym's tool domains to outside agents.") { serve };
    }
}
