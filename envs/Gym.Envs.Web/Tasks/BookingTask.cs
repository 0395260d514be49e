using System.Globalization;
using Gym.Core;
using Gym.Envs.Web.Browser;
using Gym.Envs.Web.Sites.Booking;

namespace Gym.Envs.Web.Tasks;

/// <summary>
/// A multi-page booking: four validated forms, then a confirmation. Judged on the server's state: the confirmed
/// booking must equal the one asked for, field by field.
/// </summary>
internal sealed class BookingTask(long seed) : IWebTask
{

    public BookingForm Wanted { get; } = BookingWorld.Goal(seed);

    public string Goal => BookingWorld.Describe(Wanted);

    public string StartPath => "book/";

    public Task<WebVerdict> AfterStepAsync(WebSession session)
    {
        BookingForm? confirmed = BookingSessions.Shared.Get(session.SiteSessionId).Confirmed;
        bool right = confirmed == Wanted;
        return Task.FromResult(confirmed is null ? new WebVerdict(false, false, 0) : new WebVerdict(true, right, right ? 1 : 0));
    }

    public bool JudgeFinal(string action, string text) => false;

    // Each page's fields are set one per turn (only those not yet right), then the page's button.
    public string OracleAction(AgentContext context)
    {
        string obs = context.Observation.Text;
        string path = ObservationTree.Url(obs)?.AbsolutePath ?? "";
        List<(string Id, string Role, string Name, string State)> elements = [.. ObservationTree.Elements(obs)];
        (string Role, string Name, string Value)[] fields = path switch
        {
            _ when path.EndsWith("/trip", StringComparison.Ordinal) =>
                [("combobox", "From", Wanted.From), ("combobox", "To", Wanted.To), ("textbox", "Date", Wanted.Date), ("spinbutton", "Passengers", Wanted.Passengers.ToString(CultureInfo.InvariantCulture))],
            _ when path.EndsWith("/passenger", StringComparison.Ordinal) =>
                [("textbox", "Full name", Wanted.Name), ("textbox", "Email", Wanted.Email), ("textbox", "Phone", Wanted.Phone)],
            _ when path.EndsWith("/extras", StringComparison.Ordinal) =>
                [("radio", Wanted.Fare, "checked"), ("checkbox", "Add travel insurance", Wanted.Insurance ? "checked" : "unchecked"), ("combobox", "Meal", Wanted.Meal)],
            _ => [],
        };
        foreach ((string role, string name, string value) in fields)
        {
            (string id, _, _, string state) = elements.FirstOrDefault(e => e.Role == role && e.Name == name);
            if (id is null)
                continue;
            string q = ObservationTree.Quote(id);
            switch (role)
            {
                case "combobox" when !state.Contains($"value=\"{value}\"", StringComparison.Ordinal):
                    return $"select_option({q}, {ObservationTree.Quote(value)})";
                case "textbox" or "spinbutton" when !state.Contains($"value=\"{value}\"", StringComparison.Ordinal):
                    return $"fill({q}, {ObservationTree.Quote(value)})";
                case "radio" or "checkbox" when !state.Contains($" {value}", StringComparison.Ordinal):
                    return value == "checked" ? $"check({q})" : $"uncheck({q})";
            }
        }
        string button = path.EndsWith("/review", StringComparison.Ordinal) ? "Confirm booking" : "Continue";
        return ObservationTree.Find(obs, "button", button) is { } b ? $"click({ObservationTree.Quote(b)})" : "noop(100)";
    }
}
