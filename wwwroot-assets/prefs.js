// Reader preferences kept in cookies, read by the server on the next request (Components/Layout/ThemePreference.cs).
window.fpPrefs = {
    setTheme: function (value) {
        document.cookie = "fp-theme=" + encodeURIComponent(value) + "; path=/; max-age=31536000; samesite=lax" +
            (location.protocol === "https:" ? "; secure" : "");
    }
};
