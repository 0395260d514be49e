using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gym.Envs.Web.Sites.Booking;

/// <summary>
/// The booking site under <c>/book/</c> (the visitor's booking by <see cref="SiteSession"/>): four pages (trip, passenger, extras, review), each a form the
/// server validates before the next page opens; errors are shown on the page with what was typed kept.
/// </summary>
internal static partial class BookingRoutes
{
    private static readonly string[] Steps = ["trip", "passenger", "extras", "review"];

    public static void Map(WebApplication app, BookingSessions sessions)
    {
        app.MapGet("/book/", () => Results.Redirect("/book/trip"));
        foreach (string step in Steps)
        {
            int number = Array.IndexOf(Steps, step) + 1;
            app.MapGet($"/book/{step}", (HttpContext http) =>
            {
                BookingSession s = sessions.Get(SiteSession.Id(http));
                if (s.Confirmed is not null)
                    return Html(Confirmed(s.Confirmed));
                return number > s.Reached ? Results.Redirect($"/book/{Steps[s.Reached - 1]}") : Html(Page(number, s.Form, []));
            });
        }
        app.MapPost("/book/{step}", async (string step, HttpContext http) =>
        {
            BookingSession s = sessions.Get(SiteSession.Id(http));
            HttpRequest request = http.Request;
            int number = Array.IndexOf(Steps, step) + 1;
            if (number == 0 || number > s.Reached)
                return Results.Redirect($"/book/{Steps[s.Reached - 1]}");
            IFormCollection form = await request.ReadFormAsync().ConfigureAwait(false);
            string F(string key) => form[key].ToString().Trim();
            if (number == 4)
            {
                s.Confirmed ??= s.Form;
                return Html(Confirmed(s.Confirmed));
            }
            List<string> errors = [];
            BookingForm next = s.Form;
            if (number == 1)
            {
                int passengers = int.TryParse(F("passengers"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;
                next = next with { From = F("from"), To = F("to"), Date = F("date"), Passengers = passengers };
                if (!BookingWorld.Cities.Contains(next.From))
                    errors.Add("Choose a departure city.");
                if (!BookingWorld.Cities.Contains(next.To))
                    errors.Add("Choose a destination.");
                else if (next.To == next.From)
                    errors.Add("The destination must differ from the departure city.");
                if (!DateOnly.TryParseExact(next.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly d) || d < BookingWorld.First || d > BookingWorld.Last)
                    errors.Add("Choose a date in 2026.");
                if (passengers is < 1 or > 6)
                    errors.Add("Passengers must be between 1 and 6.");
            }
            else if (number == 2)
            {
                next = next with { Name = F("name"), Email = F("email"), Phone = F("phone") };
                if (next.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 2)
                    errors.Add("Enter the passenger's first and last name.");
                if (!Email().IsMatch(next.Email))
                    errors.Add("Enter a valid email address.");
                if (!Phone().IsMatch(next.Phone))
                    errors.Add("The phone number must have ten digits.");
            }
            else
            {
                next = next with { Fare = F("fare"), Insurance = F("insurance") == "yes", Meal = F("meal") };
                if (!BookingWorld.Fares.Contains(next.Fare))
                    errors.Add("Choose a fare.");
                if (!BookingWorld.Meals.Contains(next.Meal))
                    errors.Add("Choose a meal.");
            }
            if (errors.Count > 0)
                return Html(Page(number, next, errors));
            s.Form = next;
            s.Reached = Math.Max(s.Reached, number + 1);
            return Results.Redirect($"/book/{Steps[number]}");
        });
    }

    private static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private static string Select(string id, string label, IReadOnlyList<string> options, string value, string placeholder) =>
        $"<label for='{id}'>{label}</label> <select id='{id}' name='{id}'><option value=''>{placeholder}</option>" +
        string.Concat(options.Select(o => $"<option{(o == value ? " selected" : "")}>{H(o)}</option>")) + "</select><br>";

    private static string Page(int number, BookingForm f, List<string> errors)
    {
        StringBuilder sb = new($"<h1>Book a flight</h1><p>Step {number} of 4: {new[] { "Trip", "Passenger", "Extras", "Review" }[number - 1]}</p>");
        foreach (string e in errors)
            sb.Append($"<p class='error' role='alert'>{H(e)}</p>");
        sb.Append($"<form method='post' action='/book/{Steps[number - 1]}'>");
        switch (number)
        {
            case 1:
                sb.Append(Select("from", "From", BookingWorld.Cities, f.From, "Choose a city"))
                  .Append(Select("to", "To", BookingWorld.Cities, f.To, "Choose a city"))
                  .Append($"<label for='date'>Date</label> <input id='date' name='date' type='date' value='{H(f.Date)}'><br>")
                  .Append($"<label for='passengers'>Passengers</label> <input id='passengers' name='passengers' type='number' min='1' max='6' value='{(f.Passengers > 0 ? f.Passengers.ToString(CultureInfo.InvariantCulture) : "")}'><br>");
                break;
            case 2:
                sb.Append($"<label for='name'>Full name</label> <input id='name' name='name' value='{H(f.Name)}'><br>")
                  .Append($"<label for='email'>Email</label> <input id='email' name='email' value='{H(f.Email)}'><br>")
                  .Append($"<label for='phone'>Phone</label> <input id='phone' name='phone' value='{H(f.Phone)}'><br>");
                break;
            case 3:
                sb.Append("<fieldset><legend>Fare</legend>");
                foreach (string fare in BookingWorld.Fares)
                    sb.Append($"<input type='radio' name='fare' id='fare-{fare}' value='{fare}'{(fare == f.Fare ? " checked" : "")}> <label for='fare-{fare}'>{fare}</label> ");
                sb.Append("</fieldset>")
                  .Append($"<input type='checkbox' id='insurance' name='insurance' value='yes'{(f.Insurance ? " checked" : "")}> <label for='insurance'>Add travel insurance</label><br>")
                  .Append(Select("meal", "Meal", BookingWorld.Meals, f.Meal, "Choose a meal"));
                break;
            default:
                sb.Append($"<ul><li>{H(f.From)} to {H(f.To)} on {H(f.Date)}, {f.Passengers} passenger(s)</li><li>{H(f.Name)}, {H(f.Email)}, {H(f.Phone)}</li>")
                  .Append($"<li>{H(f.Fare)} fare, {(f.Insurance ? "with" : "without")} insurance, {H(f.Meal)} meal</li></ul>");
                break;
        }
        sb.Append(number == 4 ? "<button type='submit'>Confirm booking</button>" : "<button type='submit'>Continue</button>").Append("</form>");
        if (number > 1)
            sb.Append($"<p><a href='/book/{Steps[number - 2]}'>Back</a></p>");
        return Layout($"Book a flight: step {number}", sb.ToString());
    }

    private static string Confirmed(BookingForm f) =>
        Layout("Booking confirmed", $"<h1>Booking confirmed</h1><p>{H(f.Name)}, {H(f.From)} to {H(f.To)} on {H(f.Date)}. Reference {Reference(f)}.</p>");

    // The booking's reference follows from what was booked, so a replayed episode shows the same page.
    private static string Reference(BookingForm f) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{f.From}|{f.To}|{f.Date}|{f.Name}|{f.Email}")))[..6];

    private static string Layout(string title, string body) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{H(title)}}</title>
        <style>body { font-family: sans-serif; margin: 16px } .error { color: #b00 } label { display: inline-block; min-width: 90px }</style>
        </head><body><main>{{body}}</main></body></html>
        """;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
    private static partial Regex Email();

    [GeneratedRegex(@"^\d{10}$")]
    private static partial Regex Phone();
}
