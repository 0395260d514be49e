using System.Globalization;
using Gym.Core;
using Gym.Envs.Web.Browser;
using Gym.Envs.Web.Sites.Shop;

namespace Gym.Envs.Web.Tasks;

/// <summary>
/// A WebShop-style task: find a product that fits the instruction, choose its options, add it to the cart and
/// check out. Judged on the server's state: when the order is placed, the reward is WebShop's (attributes, options,
/// price, type) averaged over the ordered lines; success is a reward of 1.
/// </summary>
internal sealed class ShopTask : IWebTask
{
    private static readonly string[] Streets = ["Maple Road", "Harbor Lane", "Quarry Street", "Willow Court", "Station Avenue"];
    private readonly string _name, _address;

    public ShopTask(long seed)
    {
        ShopGoal = ShopCatalog.Instance.Goal(seed);
        SeededRandom r = new(seed, 79);
        _name = $"{Sites.Widgets.W.Cap(r.Pick(Sites.Widgets.W.Names))} {Sites.Widgets.W.Cap(r.Pick(Sites.Widgets.W.Words))}";
        _address = $"{r.Next(1, 200).ToString(CultureInfo.InvariantCulture)} {r.Pick(Streets)}";
    }

    public ShopGoal ShopGoal { get; }

    public string Goal => $"{ShopGoal.Instruction}. Buy it: choose its options, add it to the cart, and check out with the name {_name} and the address {_address}.";

    public string StartPath => "shop/";

    public Task<WebVerdict> AfterStepAsync(WebSession session)
    {
        if (ShopSessions.Shared.Get(session.SiteSessionId).Order is not { } order)
            return Task.FromResult(new WebVerdict(false, false, 0));
        double score = order.Lines.Count == 0 ? 0 : order.Lines.Average(l => ShopGoal.Reward(l.Product, l.Options));
        return Task.FromResult(new WebVerdict(true, score >= 1 - 1e-9, score));
    }

    public bool JudgeFinal(string action, string text) => false;

    /// <summary>Whether <paramref name="p"/> meets the whole goal.</summary>
    public bool Fits(ShopProduct p) => p.Category == ShopGoal.Category && ShopGoal.Attributes.All(p.Attributes.Contains) && p.Price <= ShopGoal.MaxPrice
        && ShopGoal.Options.All(o => p.Options.TryGetValue(o.Key, out IReadOnlyList<string>? values) && values.Contains(o.Value));

    // Search with the goal's words, page through the results to a product that fits, choose its options, add it
    // to the cart, check out.
    public string OracleAction(AgentContext context)
    {
        string obs = context.Observation.Text;
        string path = ObservationTree.Url(obs)?.AbsolutePath ?? "";
        List<(string Id, string Role, string Name, string State)> elements = [.. ObservationTree.Elements(obs)];
        string Id(string role, string name) => elements.First(e => e.Role == role && e.Name == name).Id;
        string Q(string s) => ObservationTree.Quote(s);
        string query = string.Join(" ", ShopGoal.Attributes) + " " + ShopGoal.Category.Noun;
        if (path.EndsWith("/search", StringComparison.Ordinal))
        {
            foreach ((string id, string role, string name, _) in elements)
                if (role == "link" && ShopCatalog.Instance.Products.FirstOrDefault(p => p.Title == name) is { } p && Fits(p))
                    return $"click({Q(id)})";
            return elements.Any(e => e.Role == "link" && e.Name == "Next >") ? $"click({Q(Id("link", "Next >"))})" : "report_infeasible('No product fits.')";
        }
        if (path.Contains("/product/", StringComparison.Ordinal))
        {
            foreach ((string kind, string value) in ShopGoal.Options)
                if (elements.FirstOrDefault(e => e.Role == "radio" && e.Name == value) is { Id: not null } radio && radio.State.Contains("unchecked", StringComparison.Ordinal))
                    return $"check({Q(radio.Id)})";
            return $"click({Q(Id("button", "Add to cart"))})";
        }
        if (path.EndsWith("/cart", StringComparison.Ordinal))
            return $"click({Q(Id("link", "Proceed to checkout"))})";
        if ((path.EndsWith("/checkout", StringComparison.Ordinal) || path.EndsWith("/order", StringComparison.Ordinal)) && elements.Any(e => e.Name == "Full name"))
        {
            (string id, _, _, string state) = elements.First(e => e.Role == "textbox" && e.Name == "Full name");
            if (!state.Contains($"value=\"{_name}\"", StringComparison.Ordinal))
                return $"fill({Q(id)}, {Q(_name)})";
            (id, _, _, state) = elements.First(e => e.Role == "textbox" && e.Name == "Shipping address");
            if (!state.Contains($"value=\"{_address}\"", StringComparison.Ordinal))
                return $"fill({Q(id)}, {Q(_address)})";
            return $"click({Q(Id("button", "Place order"))})";
        }
        if (elements.All(e => e.Name != "Search products"))
            return "noop(100)";
        (string box, _, _, string boxState) = elements.First(e => e.Role == "searchbox" && e.Name == "Search products");
        return boxState.Contains($"value=\"{query}\"", StringComparison.Ordinal) ? $"click({Q(Id("button", "Search"))})" : $"fill({Q(box)}, {Q(query)})";
    }
}
