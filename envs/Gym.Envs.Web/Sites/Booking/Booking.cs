using System.Collections.Concurrent;
using System.Globalization;
using Gym.Core;

namespace Gym.Envs.Web.Sites.Booking;

/// <summary>A flight booking as the forms collect it, page by page.</summary>
public sealed record BookingForm
{
    /// <summary>Departure city.</summary>
    public string From { get; init; } = "";

    /// <summary>Arrival city.</summary>
    public string To { get; init; } = "";

    /// <summary>The date, yyyy-MM-dd.</summary>
    public string Date { get; init; } = "";

    /// <summary>How many travel.</summary>
    public int Passengers { get; init; }

    /// <summary>The lead passenger's full name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Their email.</summary>
    public string Email { get; init; } = "";

    /// <summary>Their phone, ten digits.</summary>
    public string Phone { get; init; } = "";

    /// <summary>Economy, Premium or Business.</summary>
    public string Fare { get; init; } = "";

    /// <summary>Whether travel insurance is added.</summary>
    public bool Insurance { get; init; }

    /// <summary>The meal.</summary>
    public string Meal { get; init; } = "";
}

/// <summary>The booking site's vocabulary and the goal of a task seed.</summary>
public static class BookingWorld
{
    /// <summary>The cities served.</summary>
    public static readonly IReadOnlyList<string> Cities = ["Amsterdam", "Bogota", "Cairo", "Denver", "Edinburgh", "Fukuoka", "Geneva", "Hanoi", "Istanbul", "Jakarta"];

    /// <summary>Fare classes.</summary>
    public static readonly IReadOnlyList<string> Fares = ["Economy", "Premium", "Business"];

    /// <summary>Meals.</summary>
    public static readonly IReadOnlyList<string> Meals = ["Standard", "Vegetarian", "Vegan", "Gluten free"];

    /// <summary>The first and last dates that can be booked.</summary>
    public static readonly DateOnly First = new(2026, 1, 1), Last = new(2026, 12, 31);

    /// <summary>The booking a task seed asks for.</summary>
    public static BookingForm Goal(long seed)
    {
        SeededRandom r = new(seed, 91);
        List<string> cities = [.. Cities];
        r.Shuffle(cities);
        string first = Widgets.W.Cap(r.Pick(Widgets.W.Names)), last = Widgets.W.Cap(r.Pick(Widgets.W.Words));
        return new BookingForm
        {
            From = cities[0], To = cities[1],
            Date = First.AddDays(r.Next(0, 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Passengers = r.Next(1, 5),
            Name = $"{first} {last}",
            Email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@example.test",
            Phone = string.Concat(Enumerable.Range(0, 10).Select(i => (char)('0' + (i == 0 ? r.Next(2, 10) : r.Next(10))))),
            Fare = r.Pick(Fares), Insurance = r.Next(2) == 0, Meal = r.Pick(Meals),
        };
    }

    /// <summary>The goal in words.</summary>
    public static string Describe(BookingForm b)
    {
        ArgumentNullException.ThrowIfNull(b);
        string date = DateOnly.ParseExact(b.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
        return $"Book a flight from {b.From} to {b.To} on {date} for {b.Passengers} passenger{(b.Passengers > 1 ? "s" : "")}. " +
            $"The lead passenger is {b.Name}, email {b.Email}, phone {b.Phone}. Choose the {b.Fare} fare, " +
            $"{(b.Insurance ? "add" : "do not add")} travel insurance, and the {b.Meal} meal. Confirm the booking.";
    }
}

/// <summary>One episode's booking on the server: the form so far, and the booking once confirmed.</summary>
public sealed class BookingSession
{
    /// <summary>What the pages have collected.</summary>
    public BookingForm Form { get; set; } = new();

    /// <summary>The highest page reached (1 to 4).</summary>
    public int Reached { get; set; } = 1;

    /// <summary>The confirmed booking.</summary>
    public BookingForm? Confirmed { get; set; }

    internal long LastUsed { get; set; } = Environment.TickCount64;
}

/// <summary>The booking sessions, by id; the oldest are forgotten past a limit.</summary>
public sealed class BookingSessions
{
    private const int Limit = 4096;
    private readonly ConcurrentDictionary<string, BookingSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>The process's sessions.</summary>
    public static BookingSessions Shared { get; } = new();

    /// <summary>The session <paramref name="id"/>, made on first use.</summary>
    public BookingSession Get(string id)
    {
        BookingSession session = _sessions.GetOrAdd(id, _ => new BookingSession());
        session.LastUsed = Environment.TickCount64;
        if (_sessions.Count > Limit)
            foreach (string old in _sessions.OrderBy(s => s.Value.LastUsed).Take(Limit / 4).Select(s => s.Key).ToList())
                _sessions.TryRemove(old, out _);
        return session;
    }
}
