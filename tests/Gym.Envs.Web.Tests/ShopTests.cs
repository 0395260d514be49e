using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Web.Sites.Shop;
using Gym.Envs.Web.Tasks;
using Gym.Testing;
using static Gym.Envs.Web.Tests.WebTaskFixtures;

namespace Gym.Envs.Web.Tests;

/// <summary>The WebShop-like store: its catalogue, WebShop's reward, the server's checks, and the oracle end to end.</summary>
[TestFixture]
public sealed class ShopTests
{
    private static TaskSpec ShopTask(long seed) => new()
    {
        Id = $"shop-{seed}", EnvId = WebEnvironment.Id, Seed = seed, Config = System.Text.Json.JsonDocument.Parse("""{"site": "shop"}""").RootElement,
    };

    [Test]
    public void TheCatalogueIsLargeVariedAndTheSameEveryRun()
    {
        ShopCatalog c = ShopCatalog.Instance;
        Assert.That(c.Products, Has.Count.EqualTo(1200));
        Assert.That(c.Products.Select(p => p.Title).Distinct().Count(), Is.EqualTo(1200), "titles are unique");
        Assert.That(c.Products.Select(p => p.Category.Noun).Distinct().Count(), Is.EqualTo(ShopCatalog.Categories.Count));
        Assert.That(c.Products[17].Title, Is.EqualTo(ShopCatalog.Instance.Products[17].Title));
        IReadOnlyList<ShopProduct> found = c.Search("waterproof running shoes");
        Assert.That(found.Take(5).All(p => p.Category.Noun == "running shoes" || p.Attributes.Contains("waterproof")), Is.True);
    }

    [Test]
    public void TheRewardIsWebShops()
    {
        ShopGoal goal = ShopCatalog.Instance.Goal(42);
        Dictionary<string, string> right = goal.Options.ToDictionary(o => o.Key, o => o.Value);
        Assert.That(goal.Reward(goal.Target, right), Is.EqualTo(1.0), "the product the goal was made from, with its options, fits");
        int parts = goal.Attributes.Count + goal.Options.Count + 1;
        Assert.That(goal.Reward(goal.Target, new Dictionary<string, string>()), Is.EqualTo((parts - goal.Options.Count) / (double)parts).Within(1e-12), "options missing");
        ShopProduct otherDepartment = ShopCatalog.Instance.Products.First(p => p.Category.Department != goal.Category.Department);
        Assert.That(goal.Reward(otherDepartment, right), Is.LessThanOrEqualTo(0.1), "the wrong kind of product earns at most a tenth");
        ShopProduct sameDepartment = ShopCatalog.Instance.Products.First(p => p.Category.Department == goal.Category.Department && p.Category != goal.Category);
        Assert.That(goal.Reward(sameDepartment, right), Is.LessThanOrEqualTo(0.5));
        Assert.That(goal.Instruction, Does.StartWith("i am looking for ").And.Contain("price lower than"));
    }

    [Test, CancelAfter(120_000)]
    public async Task CheckoutIsValidatedByTheServerAndTheOrderEndsTheEpisode()
    {
        await using WebEnvironment env = new();
        Observation o = await env.ResetAsync(ShopTask(7), default);
        Assert.That(o.Text, Does.Contain("searchbox \"Search products\""));
        // The cart is empty: the server refuses the order and says why.
        o = (await env.StepAsync(Act($"goto('{ObservationTree.Url(o.Text)!.GetLeftPart(UriPartial.Path)}checkout')"))).Observation;
        o = (await env.StepAsync(Act($"click('{ObservationTree.Find(o.Text, "button", "Place order")}')"))).Observation;
        Assert.That(o.Text, Does.Contain("Your cart is empty."));
    }

    [Test, CancelAfter(600_000)]
    public async Task TheOracleBuysWhatTheInstructionAsksFor()
    {
        EnvRegistry registry = new EnvRegistry().AddWebEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("web/shop", Path.Combine(TestPaths.Root, "tasks"), registry.Contains);
        TaskSpec[] tasks = [.. suite.Split("test").Take(6)];
        (IReadOnlyList<Episode> episodes, string aborts, string failures) = await OracleRun.RunAsync(registry, WebEnvironment.Id, tasks);
        Assert.That(episodes, Has.Count.EqualTo(tasks.Length), aborts);
        Assert.That(failures, Is.Empty);
        Assert.That(episodes.Select(e => e.Return), Has.All.EqualTo(1.0));
    }
}
