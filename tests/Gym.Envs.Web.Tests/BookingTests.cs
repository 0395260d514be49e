using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Web.Tasks;
using Gym.Testing;
using static Gym.Envs.Web.Tests.WebTaskFixtures;

namespace Gym.Envs.Web.Tests;

/// <summary>The multi-page booking forms: the server's validation, and the oracle end to end.</summary>
[TestFixture]
public sealed class BookingTests
{
    private static TaskSpec Booking(long seed) => new()
    {
        Id = $"booking-{seed}", EnvId = WebEnvironment.Id, Seed = seed, Config = System.Text.Json.JsonDocument.Parse("""{"site": "booking"}""").RootElement,
    };

    [Test, CancelAfter(120_000)]
    public async Task EachPageIsValidatedByTheServerBeforeTheNextOpens()
    {
        await using WebEnvironment env = new();
        Observation o = await env.ResetAsync(Booking(5), default);
        Assert.That(o.Text, Does.Contain("Step 1 of 4: Trip").And.Contain("combobox \"From\""));
        string from = ObservationTree.Find(o.Text, "combobox", "From")!, to = ObservationTree.Find(o.Text, "combobox", "To")!;
        await env.StepAsync(Act($"select_option('{from}', 'Cairo')"));
        await env.StepAsync(Act($"select_option('{to}', 'Cairo')"));
        o = (await env.StepAsync(Act($"click('{ObservationTree.Find(o.Text, "button", "Continue")}')"))).Observation;
        Assert.That(o.Text, Does.Contain("The destination must differ from the departure city.").And.Contain("Choose a date in 2026.").And.Contain("Step 1 of 4"));
        Assert.That(o.Text, Does.Contain("combobox \"From\" value=\"Cairo\""), "what was chosen is kept");
        // A later page cannot be reached before this one is valid.
        string base_ = ObservationTree.Url(o.Text)!.GetLeftPart(UriPartial.Path);
        o = (await env.StepAsync(Act($"goto('{base_.Replace("/trip", "/review", StringComparison.Ordinal)}')"))).Observation;
        Assert.That(o.Text, Does.Contain("Step 1 of 4"));
    }

    [Test, CancelAfter(600_000)]
    public async Task TheOracleBooksExactlyWhatWasAsked()
    {
        EnvRegistry registry = new EnvRegistry().AddWebEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("web/booking", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        TaskSpec[] tasks = [.. suite.Split("test").Take(4)];
        (IReadOnlyList<Episode> episodes, string aborts, string failures) = await OracleRun.RunAsync(registry, WebEnvironment.Id, tasks);
        Assert.That(episodes, Has.Count.EqualTo(tasks.Length), aborts);
        Assert.That(failures, Is.Empty);
    }
}
