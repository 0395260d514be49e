using System.Globalization;
using Gym.Core;
using Gym.Core.Text;

namespace Gym.Envs.Web.Sites.Shop;

/// <summary>A kind of product: its department, its noun, the attributes a product of it may have, and its option kinds.</summary>
/// <param name="Department">The department (fashion, home, ...): a wrong category of the right department still earns part of the reward.</param>
/// <param name="Noun">What it is ("running shoes").</param>
/// <param name="Attributes">The attribute pool.</param>
/// <param name="Options">Option kinds and their possible values.</param>
/// <param name="BasePrice">A typical price.</param>
public sealed record ShopCategory(string Department, string Noun, IReadOnlyList<string> Attributes, IReadOnlyDictionary<string, IReadOnlyList<string>> Options, double BasePrice);

/// <summary>A product of the shop.</summary>
/// <param name="Id">Its id (in URLs).</param>
/// <param name="Title">Its title, unique in the shop.</param>
/// <param name="Category">Its kind.</param>
/// <param name="Attributes">Its attributes.</param>
/// <param name="Options">The values offered of each of its category's option kinds.</param>
/// <param name="Price">Its price in dollars.</param>
public sealed record ShopProduct(string Id, string Title, ShopCategory Category, IReadOnlyList<string> Attributes, IReadOnlyDictionary<string, IReadOnlyList<string>> Options, double Price);

/// <summary>What the customer asks for (WebShop's goal): attributes, one value per option kind, a price ceiling, a category.</summary>
public sealed record ShopGoal(ShopCategory Category, IReadOnlyList<string> Attributes, IReadOnlyDictionary<string, string> Options, double MaxPrice, ShopProduct Target)
{
    /// <summary>The instruction, in WebShop's style.</summary>
    public string Instruction =>
        $"i am looking for {string.Join(", ", Attributes)} {Category.Noun}" +
        (Options.Count > 0 ? " with " + string.Join(" and ", Options.Select(o => $"{o.Key}: {o.Value}")) : "") +
        $", and price lower than {MaxPrice.ToString("0.00", CultureInfo.InvariantCulture)} dollars";

    /// <summary>
    /// WebShop's reward of buying <paramref name="product"/> with <paramref name="chosen"/> options: the fraction of
    /// the goal's attributes, options and price met, times a type match (1 for the right category, 0.5 for its
    /// department, 0.1 otherwise).
    /// </summary>
    public double Reward(ShopProduct product, IReadOnlyDictionary<string, string> chosen)
    {
        ArgumentNullException.ThrowIfNull(product);
        ArgumentNullException.ThrowIfNull(chosen);
        int attributes = Attributes.Count(product.Attributes.Contains);
        int options = Options.Count(o => chosen.TryGetValue(o.Key, out string? v) && v == o.Value);
        int price = product.Price <= MaxPrice ? 1 : 0;
        double type = product.Category == Category ? 1 : product.Category.Department == Category.Department ? 0.5 : 0.1;
        return (attributes + options + price) / (double)(Attributes.Count + Options.Count + 1) * type;
    }
}

/// <summary>
/// The shop's catalogue: 1,200 products generated from a fixed seed (the same for every run), searchable with BM25
/// over title, attributes and category; and goals generated from a task seed.
/// </summary>
public sealed class ShopCatalog
{
    private static readonly string[] Colors = ["black", "white", "navy blue", "red", "grey", "green", "beige"];
    private static readonly string[] Brands = ["Aldermoor", "Brightwell", "Cobaltine", "Dunmore", "Everpine", "Foxglen", "Greyhaven", "Hollowtree", "Ironbark", "Juniperline", "Kestrel & Co", "Larkspur"];

    /// <summary>The categories.</summary>
    public static readonly IReadOnlyList<ShopCategory> Categories =
    [
        new("fashion", "running shoes", ["lightweight", "breathable", "waterproof", "non-slip", "cushioned", "wide fit"], Opt(("size", ["7", "8", "9", "10", "11", "12"]), ("color", Colors)), 60),
        new("fashion", "t-shirt", ["organic cotton", "slim fit", "moisture wicking", "crew neck", "long sleeve", "relaxed fit"], Opt(("size", ["small", "medium", "large", "x-large"]), ("color", Colors)), 18),
        new("fashion", "rain jacket", ["waterproof", "packable", "hooded", "breathable", "windproof", "reflective"], Opt(("size", ["small", "medium", "large", "x-large"]), ("color", Colors)), 75),
        new("fashion", "backpack", ["water resistant", "laptop sleeve", "lightweight", "anti-theft", "padded straps", "expandable"], Opt(("capacity", ["20 liters", "30 liters", "40 liters"]), ("color", Colors)), 45),
        new("home", "desk lamp", ["dimmable", "usb charging", "led", "adjustable arm", "touch control", "clamp mount"], Opt(("color", Colors)), 30),
        new("home", "coffee mug", ["ceramic", "insulated", "dishwasher safe", "microwave safe", "leak proof", "stackable"], Opt(("capacity", ["12 oz", "16 oz", "20 oz"]), ("color", Colors)), 14),
        new("home", "bath towel", ["cotton", "quick dry", "oversized", "hotel quality", "absorbent", "bamboo"], Opt(("pack", ["2 pack", "4 pack", "6 pack"]), ("color", Colors)), 28),
        new("home", "throw pillow", ["velvet", "machine washable", "down alternative", "decorative", "hypoallergenic", "zippered"], Opt(("size", ["16x16 inch", "18x18 inch", "20x20 inch"]), ("color", Colors)), 20),
        new("electronics", "wireless earbuds", ["noise cancelling", "water resistant", "long battery life", "bluetooth 5.3", "touch control", "fast charging"], Opt(("color", ["black", "white", "navy blue"])), 55),
        new("electronics", "phone charger", ["fast charging", "usb c", "foldable plug", "dual port", "compact", "travel ready"], Opt(("power", ["20 watts", "30 watts", "65 watts"])), 22),
        new("electronics", "bluetooth speaker", ["waterproof", "portable", "long battery life", "deep bass", "dustproof", "stereo pairing"], Opt(("color", ["black", "red", "green", "navy blue"])), 48),
        new("electronics", "mechanical keyboard", ["hot swappable", "backlit", "wireless", "compact", "quiet switches", "usb c"], Opt(("layout", ["full size", "tenkeyless", "75 percent"])), 70),
        new("grocery", "green tea", ["organic", "decaf", "loose leaf", "fair trade", "caffeine free", "jasmine"], Opt(("count", ["20 bags", "50 bags", "100 bags"])), 9),
        new("grocery", "trail mix", ["gluten free", "no added sugar", "high protein", "vegan", "low sodium", "resealable"], Opt(("size", ["8 oz", "16 oz", "32 oz"])), 11),
        new("grocery", "olive oil", ["extra virgin", "cold pressed", "organic", "first harvest", "single origin", "unfiltered"], Opt(("size", ["500 ml", "750 ml", "1 liter"])), 16),
        new("beauty", "face moisturizer", ["fragrance free", "oil free", "spf 30", "hyaluronic acid", "vegan", "sensitive skin"], Opt(("size", ["1.7 oz", "3.4 oz"])), 24),
        new("beauty", "shampoo", ["sulfate free", "paraben free", "volumizing", "tea tree", "color safe", "moisturizing"], Opt(("size", ["12 oz", "24 oz", "33 oz"])), 13),
        new("beauty", "hair dryer", ["ionic", "lightweight", "foldable", "diffuser included", "quiet", "fast drying"], Opt(("color", ["black", "white", "red"])), 40),
    ];

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Opt(params (string Kind, IReadOnlyList<string> Values)[] options) =>
        options.ToDictionary(o => o.Kind, o => o.Values);

    /// <summary>The one catalogue.</summary>
    public static readonly ShopCatalog Instance = new(1200);

    private readonly Dictionary<string, ShopProduct> _byId;
    private readonly Bm25Index _index;

    private ShopCatalog(int count)
    {
        SeededRandom r = new(20_240_601, 77);
        List<ShopProduct> products = [];
        HashSet<string> titles = new(StringComparer.Ordinal);
        for (int i = 0; products.Count < count; i++)
        {
            ShopCategory c = r.Pick(Categories);
            List<string> pool = [.. c.Attributes];
            r.Shuffle(pool);
            List<string> attributes = pool.GetRange(0, r.Next(2, 5));
            Dictionary<string, IReadOnlyList<string>> options = [];
            foreach ((string kind, IReadOnlyList<string> values) in c.Options)
            {
                List<string> v = [.. values];
                r.Shuffle(v);
                List<string> offered = v.GetRange(0, Math.Min(v.Count, r.Next(2, v.Count + 1)));
                options[kind] = [.. values.Where(offered.Contains)];
            }
            double price = Math.Round(c.BasePrice * (0.5 + r.NextDouble() * 1.2), 2);
            string title = $"{r.Pick(Brands)} {string.Join(" ", attributes.Take(2).Select(Cap))} {Cap(c.Noun)}, Model {(char)('A' + r.Next(26))}{r.Next(100, 1000).ToString(CultureInfo.InvariantCulture)}";
            if (!titles.Add(title))
                continue;
            products.Add(new ShopProduct($"P{products.Count + 1:D4}", title, c, attributes, options, price));
        }
        Products = products;
        _byId = products.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _index = new Bm25Index([.. products.Select(p => new SearchDocument(p.Id, p.Title, string.Join(" ", p.Attributes) + " " + p.Category.Noun))]);
    }

    private static string Cap(string s) => string.Join(" ", s.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>Every product.</summary>
    public IReadOnlyList<ShopProduct> Products { get; }

    /// <summary>The product with this id, or null.</summary>
    public ShopProduct? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The products matching <paramref name="query"/>, best first (at most 100).</summary>
    public IReadOnlyList<ShopProduct> Search(string query) => [.. _index.Search(query, 100).Select(d => _byId[d.Document.Id])];

    /// <summary>The goal of a task seed: one product's category, some of its attributes and options, a price above its own.</summary>
    public ShopGoal Goal(long seed)
    {
        SeededRandom r = new(seed, 78);
        ShopProduct target = r.Pick(Products);
        List<string> attributes = [.. target.Attributes];
        r.Shuffle(attributes);
        attributes = attributes.GetRange(0, Math.Min(attributes.Count, r.Next(1, 3)));
        Dictionary<string, string> options = target.Options.ToDictionary(o => o.Key, o => r.Pick(o.Value));
        double max = Math.Ceiling(target.Price * (1.1 + r.NextDouble() * 0.5));
        return new ShopGoal(target.Category, attributes, options, max, target);
    }
}
