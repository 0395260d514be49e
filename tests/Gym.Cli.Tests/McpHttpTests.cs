using System.Diagnostics;
using System.Text.Json;
using Gym.Mcp;
using Gym.Testing;

namespace Gym.Cli.Tests;

/// <summary>MCP over Streamable HTTP from the command line: `gym mcp serve --http` with one episode per session.</summary>
[TestFixture]
public sealed class McpHttpTests
{
    private static readonly Dictionary<string, object?> User1 = new() { ["user_id"] = "U001" };

    [Test, CancelAfter(120_000)]
    public async Task EverySessionOfTheServedShopHasItsOwnDatabase()
    {
        ProcessStartInfo start = new("dotnet") { WorkingDirectory = TestPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "gym.dll"), "mcp", "serve", "--domain", "retail", "--seed", "3", "--http", "--port", "0" })
            start.ArgumentList.Add(a);
        start.Environment["GYM_ROOT"] = TestPaths.Root;
        using Process serve = Process.Start(start)!;
        try
        {
            string? line = await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.That(line, Does.StartWith("serving retail over MCP on http://127.0.0.1:").And.EndWith("/mcp"));
            Uri endpoint = new(line![line!.IndexOf("http", StringComparison.Ordinal)..]);

            await using McpToolClient first = await McpToolClient.ConnectAsync(endpoint);
            await using McpToolClient second = await McpToolClient.ConnectAsync(endpoint);
            Assert.That((await first.ListToolsAsync()).Select(t => t.Name), Does.Contain("cancel_order"));
            string pending = PendingOrders(await first.CallAsync("list_orders", User1))[0];
            (string cancelled, bool error) = await first.CallAsync("cancel_order", new Dictionary<string, object?> { ["order_id"] = pending });
            Assert.That(error, Is.False, cancelled);
            Assert.That(cancelled, Does.Contain("\"status\":\"cancelled\""));
            Assert.That(PendingOrders(await first.CallAsync("list_orders", User1)), Does.Not.Contain(pending), "the change holds within a session");
            Assert.That(PendingOrders(await second.CallAsync("list_orders", User1)), Does.Contain(pending), "another session does not see it");
            (string refused, bool isError) = await second.CallAsync("cancel_order", new Dictionary<string, object?> { ["order_id"] = "no-such-order" });
            Assert.That(isError, Is.True, refused);
        }
        finally
        {
            ProcessRunner.Run("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TestPaths.Root);
            Assert.That(serve.WaitForExit(30_000), Is.True, "gym mcp serve --http stops on SIGTERM");
        }
        Assert.That(serve.ExitCode, Is.EqualTo(0));
        Assert.That(await serve.StandardOutput.ReadToEndAsync(), Does.Contain("stopped: 2 sessions"));
    }

    private static List<string> PendingOrders((string Text, bool IsError) listed) =>
        [.. JsonDocument.Parse(listed.Text).RootElement.GetProperty("orders").EnumerateArray()
            .Where(o => o.GetProperty("status").GetString() == "pending").Select(o => o.GetProperty("order_id").GetString()!)];
}
