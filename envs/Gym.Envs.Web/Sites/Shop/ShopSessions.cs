using System.Collections.Concurrent;

namespace Gym.Envs.Web.Sites.Shop;

/// <summary>A line of the cart: the product and the options chosen for it.</summary>
public sealed record CartLine(ShopProduct Product, IReadOnlyDictionary<string, string> Options);

/// <summary>An order placed at checkout.</summary>
public sealed record ShopOrder(IReadOnlyList<CartLine> Lines, string Name, string Address);

/// <summary>One episode's state on the shop's server: its cart and, once checked out, its order.</summary>
public sealed class ShopSession
{
    private readonly Lock _gate = new();
    private readonly List<CartLine> _cart = [];

    /// <summary>The cart.</summary>
    public IReadOnlyList<CartLine> Cart
    {
        get
        {
            lock (_gate)
                return [.. _cart];
        }
    }

    /// <summary>The order, once placed.</summary>
    public ShopOrder? Order { get; private set; }

    internal long LastUsed { get; set; } = Environment.TickCount64;

    /// <summary>Adds a line to the cart.</summary>
    public void Add(CartLine line)
    {
        lock (_gate)
            _cart.Add(line);
    }

    /// <summary>Removes line <paramref name="index"/>.</summary>
    public void Remove(int index)
    {
        lock (_gate)
            if (index >= 0 && index < _cart.Count)
                _cart.RemoveAt(index);
    }

    /// <summary>Places the order of the cart (once).</summary>
    public ShopOrder PlaceOrder(string name, string address)
    {
        lock (_gate)
            return Order ??= new ShopOrder([.. _cart], name, address);
    }
}

/// <summary>The shop's sessions, by id (one per episode, named in the episode's URLs); the oldest are forgotten past a limit.</summary>
public sealed class ShopSessions
{
    private const int Limit = 4096;
    private readonly ConcurrentDictionary<string, ShopSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>The process's sessions (the site server and the tasks share them).</summary>
    public static ShopSessions Shared { get; } = new();

    /// <summary>The session <paramref name="id"/>, made on first use.</summary>
    public ShopSession Get(string id)
    {
        ShopSession session = _sessions.GetOrAdd(id, _ => new ShopSession());
        session.LastUsed = Environment.TickCount64;
        if (_sessions.Count > Limit)
            foreach (string old in _sessions.OrderBy(s => s.Value.LastUsed).Take(Limit / 4).Select(s => s.Key).ToList())
                _sessions.TryRemove(old, out _);
        return session;
    }
}
