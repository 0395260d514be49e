using System.Globalization;
using Gym.Core;
using static Gym.Envs.Web.Sites.Widgets.W;

namespace Gym.Envs.Web.Sites.Widgets;

/// <summary>Type a word into a text box and submit.</summary>
internal sealed class EnterText : IWidget
{
    public string Name => "enter-text";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 11);
        string word = r.Pick(Words) + r.Next(10, 100).ToString(CultureInfo.InvariantCulture);
        string label = Cap(r.Pick(["comment", "note", "keyword", "nickname"]));
        string body = $"""
            <label for='t'>{label}</label> <input id='t' type='text'>
            <button onclick='gymSubmit({"{"}text: document.getElementById("t").value{"}"})'>Submit</button>
            """;
        return new WidgetInstance($"Enter \"{word}\" in the {label} box and press Submit.", body,
            [SolutionStep.Fill("textbox", label, word), SolutionStep.Click("button", "Submit")], s => Str(s, "text") == word);
    }
}

/// <summary>A password and its confirmation.</summary>
internal sealed class EnterPassword : IWidget
{
    public string Name => "enter-password";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 12);
        string password = Cap(r.Pick(Words)) + r.Next(100, 1000).ToString(CultureInfo.InvariantCulture) + "!";
        string body = """
            <label for='p1'>Password</label> <input id='p1' type='password'><br>
            <label for='p2'>Confirm password</label> <input id='p2' type='password'><br>
            <button onclick='gymSubmit({a: document.getElementById("p1").value, b: document.getElementById("p2").value})'>Save</button>
            """;
        return new WidgetInstance($"Set the password to \"{password}\" (enter it twice) and press Save.", body,
            [SolutionStep.Fill("textbox", "Password", password), SolutionStep.Fill("textbox", "Confirm password", password), SolutionStep.Click("button", "Save")],
            s => Str(s, "a") == password && Str(s, "b") == password);
    }
}

/// <summary>A login form.</summary>
internal sealed class LoginUser : IWidget
{
    public string Name => "login-user";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 13);
        string user = r.Pick(Names), password = r.Pick(Words) + r.Next(10, 99).ToString(CultureInfo.InvariantCulture);
        string body = """
            <form onsubmit='event.preventDefault(); gymSubmit({user: this.u.value, password: this.p.value})'>
              <label for='u'>Username</label> <input id='u' name='u'><br>
              <label for='p'>Password</label> <input id='p' name='p' type='password'><br>
              <button type='submit'>Log in</button>
            </form>
            """;
        return new WidgetInstance($"Log in as \"{user}\" with the password \"{password}\".", body,
            [SolutionStep.Fill("textbox", "Username", user), SolutionStep.Fill("textbox", "Password", password), SolutionStep.Click("button", "Log in")],
            s => Str(s, "user") == user && Str(s, "password") == password);
    }
}

/// <summary>Type a word and submit with the Enter key (there is no button).</summary>
internal sealed class PressEnter : IWidget
{
    public string Name => "press-enter";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 14);
        string word = r.Pick(Words);
        string body = """
            <label for='q'>Command</label> <input id='q' onkeydown='if (event.key === "Enter") gymSubmit({text: this.value})'>
            """;
        return new WidgetInstance($"Type \"{word}\" in the Command box and press Enter.", body,
            [SolutionStep.Fill("textbox", "Command", word), new SolutionStep("press", "textbox", "Command", "Enter")], s => Str(s, "text") == word);
    }
}

/// <summary>Copy a code shown on the page into a box.</summary>
internal sealed class CopyText : IWidget
{
    public string Name => "copy-text";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 15);
        const string letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        string code = string.Concat(Enumerable.Range(0, 7).Select(i => i == 3 ? '-' : letters[r.Next(letters.Length)]));
        string body = $"""
            <p>Your confirmation code is <b id='code'>{code}</b>.</p>
            <label for='c'>Confirmation code</label> <input id='c'>
            <button onclick='gymSubmit({"{"}text: document.getElementById("c").value{"}"})'>Confirm</button>
            """;
        return new WidgetInstance("Copy the confirmation code shown on the page into the box and press Confirm.", body,
            [SolutionStep.Fill("textbox", "Confirmation code", code), SolutionStep.Click("button", "Confirm")], s => Str(s, "text") == code);
    }
}

/// <summary>A short form with several kinds of fields.</summary>
internal sealed class FillForm : IWidget
{
    public string Name => "fill-form";

    public WidgetInstance Generate(long seed)
    {
        SeededRandom r = new(seed, 16);
        string name = Cap(r.Pick(Names)), email = $"{r.Pick(Names)}@{r.Pick(Words)}.test";
        string[] countries = ["Canada", "Chile", "Ghana", "Japan", "Norway", "Peru"];
        string country = r.Pick(countries);
        string options = string.Concat(countries.Select(c => $"<option>{c}</option>"));
        string body = $"""
            <form onsubmit='event.preventDefault(); gymSubmit({"{"}name: this.n.value, email: this.e.value, country: this.c.value, terms: this.t.checked{"}"})'>
              <label for='n'>Full name</label> <input id='n' name='n'><br>
              <label for='e'>Email</label> <input id='e' name='e' type='email'><br>
              <label for='c'>Country</label> <select id='c' name='c'><option></option>{options}</select><br>
              <input id='t' name='t' type='checkbox'> <label for='t'>I accept the terms</label><br>
              <button type='submit'>Register</button>
            </form>
            """;
        return new WidgetInstance($"Register {name} ({email}) from {country}, accepting the terms.", body,
            [SolutionStep.Fill("textbox", "Full name", name), SolutionStep.Fill("textbox", "Email", email), new SolutionStep("select_option", "combobox", "Country", country),
             new SolutionStep("check", "checkbox", "I accept the terms"), SolutionStep.Click("button", "Register")],
            s => Str(s, "name") == name && Str(s, "email") == email && Str(s, "country") == country && s.TryGetProperty("terms", out System.Text.Json.JsonElement t) && t.GetBoolean());
    }
}
