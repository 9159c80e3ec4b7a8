//! The text of one instruction line: parser directives, shell-like words,
//! leading `--flags`, exec-form JSON arrays and heredoc markers. Nothing
//! here knows about line numbers or the rest of the file.

/// One heredoc opened on an instruction line.
pub(super) struct HeredocSpec {
    pub(super) name: String,
    /// `<<-`: leading tabs are stripped from the body.
    pub(super) strip_tabs: bool,
    /// Unquoted name: the body would be expanded when built.
    pub(super) expand: bool,
}

/// A `# key=value` parser directive line.
pub(super) fn directive(line: &str) -> Option<(String, &str)> {
    let body = line.strip_prefix('#')?.trim_start_matches([' ', '\t']);
    let (key, value) = body.split_once('=')?;
    let key = key.trim_end_matches([' ', '\t']);
    let valid = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && key.chars().all(|c| c.is_ascii_alphanumeric());
    let value = value.trim_matches([' ', '\t']);
    (valid && !value.is_empty()).then(|| (key.to_ascii_lowercase(), value))
}

/// Shell-like words: quotes removed, the escape character escapes the next
/// character (outside single quotes). Used for shell-form arguments.
pub fn split_words(s: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return words;
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            match quote {
                None if c.is_whitespace() => break,
                None if c == '\'' || c == '"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                Some('\'') => word.push(c),
                _ if c == escape => match chars.next() {
                    Some(next) if quote.is_none() || matches!(next, '"' | '$') || next == escape => word.push(next),
                    Some(next) => {
                        word.push(c);
                        word.push(next);
                    }
                    None => word.push(c),
                },
                _ => word.push(c),
            }
        }
        words.push(word);
    }
}

/// Heredocs opened in `rest`: words like `<<EOF`, `<<-EOF`, `2<<'EOF'` outside quotes.
pub(super) fn heredocs_in(rest: &str) -> Vec<HeredocSpec> {
    let mut specs = Vec::new();
    let mut quote: Option<char> = None;
    let mut word_start = true;
    for (i, c) in rest.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if word_start => {
                let digits = rest[i..].bytes().take_while(u8::is_ascii_digit).count();
                let after = &rest[i + digits..];
                if let Some(spec) = after.strip_prefix("<<").filter(|s| !s.starts_with('<')) {
                    let word = spec.split(char::is_whitespace).next().unwrap_or_default();
                    let (strip_tabs, word) = match word.strip_prefix('-') {
                        Some(w) => (true, w),
                        None => (false, word),
                    };
                    let unquoted = ['"', '\''].iter().find_map(|q| word.strip_prefix(*q).and_then(|w| w.strip_suffix(*q)));
                    let name = unquoted.unwrap_or(word);
                    if !name.is_empty() && !name.contains(['<', '>', '"', '\'']) {
                        specs.push(HeredocSpec { name: name.to_string(), strip_tabs, expand: unquoted.is_none() });
                    }
                }
            }
            None => {}
        }
        word_start = quote.is_none() && c.is_whitespace();
    }
    specs
}

/// Leading `--name=value` / `--name` flags (value `None`), and what follows them.
pub(super) fn take_flags(mut rest: &str) -> (Vec<(&str, Option<&str>)>, &str) {
    let mut flags = Vec::new();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        flags.push(flag[..end].split_once('=').map_or((&flag[..end], None), |(n, v)| (n, Some(v))));
        rest = flag[end..].trim_start();
    }
    (flags, rest)
}

/// Exec-form arguments: a JSON array of strings.
pub(super) fn exec_form(body: &str) -> Option<Vec<String>> {
    body.starts_with('[').then(|| serde_json::from_str::<Vec<String>>(body).ok()).flatten()
}
