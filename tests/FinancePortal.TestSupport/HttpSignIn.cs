using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FinancePortal.TestSupport;

/// <summary>Signs in through the real, static-rendered sign-in form (antiforgery token included).</summary>
public static partial class HttpSignIn
{
    public static HttpClient CreatePortalClient(this WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the sign-in form (to <paramref name="path"/>, the form's own URL unless a test tries another) and returns the response (302 on success).</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(this HttpClient client, string email, string password, string path = "/Account/Login")
    {
        var form = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryField().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("The sign-in form has no antiforgery token.");
        }

        var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(path, content);
    }

    public static async Task SignInAsync(this HttpClient client, string email, string password = DemoUsers.Password)
    {
        var response = await client.PostSignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString() is not ("/" or "http://localhost/"))
        {
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
