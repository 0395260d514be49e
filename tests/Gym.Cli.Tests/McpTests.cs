using System.Text.Json;
using Gym.Core;
using Gym.Mcp;
using Gym.Testing;

namespace Gym.Cli.Tests;

/// <summary>Gym's MCP client talking to Gym's MCP server (`gym mcp serve`) over stdio, as outside agents would.</summary>
[TestFixture]
public sealed class McpTests
{
    private static Task<McpToolClient> Serve(string domain, string seed = "0") =>
        McpToolClient.StartAsync("dotnet", [Path.Combine(TestContext.CurrentContext.TestDirectory, "gym.dll"), "mcp", "serve", "--domain", domain, "--seed", seed],
            new Dictionary<string, string?> { ["GYM_ROOT"] = TestPaths.Root });

    [Test, CancelAfter(120_000)]
    public async Task TheCalcDomainIsServedWithItsSchemas()
    {
        await using McpToolClient client = await Serve("calc");
        IReadOnlyList<ToolSpec> tools = await client.ListToolsAsync();
        Assert.That(tools.Select(t => t.Name), Is.EqualTo(new[] { "calculate", "convert_units", "days_between", "add_days" }));
        using JsonDocument schema = JsonDocument.Parse(tools[1].ParametersSchema);
        Assert.That(schema.RootElement.GetProperty("required").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "value", "from_unit", "to_unit" }));
        (string text, bool error) = await client.CallAsync("convert_units", new Dictionary<string, object?> { ["value"] = 3, ["from_unit"] = "mi", ["to_unit"] = "km" });
        Assert.That((text, error), Is.EqualTo(("{\"result\":4.828032}", false)));
        (text, error) = await client.CallAsync("convert_units", new Dictionary<string, object?> { ["value"] = "three", ["from_unit"] = "mi", ["to_unit"] = "km" });
        Assert.That((error, text), Is.EqualTo((true, "The arguments of convert_units do not fit its schema: $.value: Value is \"string\" but should be \"number\"")));
        (text, error) = await client.CallAsync("teleport", new Dictionary<string, object?>());
        Assert.That(error, Is.True);
        Assert.That(text, Does.StartWith("There is no tool 'teleport'"));
    }

    [Test, CancelAfter(120_000)]
    public async Task TheShopKeepsItsDatabaseForTheSession()
    {
        await using McpToolClient client = await Serve("retail", "3");
        Assert.That((await client.ListToolsAsync()).Select(t => t.Name), Does.Contain("cancel_order").And.Contain("ask_user"));
        (string orders, bool error) = await client.CallAsync("list_orders", new Dictionary<string, object?> { ["user_id"] = "U001" });
        Assert.That(error, Is.False, orders);
        string pending = JsonDocument.Parse(orders).RootElement.GetProperty("orders").EnumerateArray().First(o => o.GetProperty("status").GetString() == "pending").GetProperty("order_id").GetString()!;
        (string cancelled, _) = await client.CallAsync("cancel_order", new Dictionary<string, object?> { ["order_id"] = pending });
        Assert.That(cancelled, Does.Contain("\"status\":\"cancelled\""));
        (string again, bool refused) = await client.CallAsync("cancel_order", new Dictionary<string, object?> { ["order_id"] = pending });
        Assert.That((refused, again), Is.EqualTo((true, $"Order {pending} is cancelled; only pending orders can be cancelled.")));
    }

    [Test, CancelAfter(120_000)]
    public async Task AnEnvironmentUsesTheMcpServerItsTaskNames()
    {
        Gym.Core.Registry.EnvRegistry registry = GymHome.CreateRegistry();
        Gym.Core.Tasks.TaskSuite suite = Gym.Core.Tasks.TaskSuiteLoader.Load("tools/mcp-calc", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        TaskSpec task = suite.Tasks[0];
        await using (IEnvironment env = registry.Make(task.EnvId))
        {
            Observation start = await env.ResetAsync(task, default);
            Assert.That(start.Tools.Select(t => t.Name), Does.Contain("convert_units"));
            StepResult unknown = await env.StepAsync(AgentAction.FromText("[teleport(to='moon')]"));
            Assert.That(unknown.Info.ActionValid, Is.False);
            StepResult badArgs = await env.StepAsync(AgentAction.FromText("[convert_units(value='x', from_unit='mi', to_unit='km')]"));
            Assert.That(badArgs.Observation.Text, Does.Contain("$.value: Value is \"string\" but should be \"number\""));
            StepResult called = await env.StepAsync(AgentAction.FromText("[convert_units(value=26.2, from_unit='mi', to_unit='km')]"));
            Assert.That(called.Observation.Text, Does.Contain("{\"result\":42.164813}"));
            StepResult wrong = await env.StepAsync(AgentAction.FromText("<answer>40 km</answer>"));
            Assert.That((wrong.Reward, wrong.Terminated), Is.EqualTo((0.0, true)));
        }
        await using IAgent oracle = registry.Get(task.EnvId).OracleFactory!();
        Gym.Core.Evaluation.EvaluationResult result = await Gym.Core.Evaluation.SuiteEvaluator.EvaluateAsync(registry, oracle, suite, null, 1, TestPaths.TempDirectory());
        Assert.That(result.Report.SuccessRate, Is.EqualTo(1.0));
    }
}
