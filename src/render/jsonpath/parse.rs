//! Reading a template as client-go's `parser.go` does: its state machine over the characters.

use super::{Node, Param};

/// The parser: client-go's state machine over the template's characters.
pub(super) struct Parser {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
    pub(super) start: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }

    fn backup(&mut self) {
        self.pos -= 1;
    }

    fn starts_with(&self, prefix: &str) -> bool {
        let mut at = self.pos;
        prefix.chars().all(|c| {
            let found = self.chars.get(at) == Some(&c);
            at += 1;
            found
        })
    }

    fn consume(&mut self) -> String {
        let end = self.pos.min(self.chars.len());
        let text: String = self.chars[self.start.min(end)..end].iter().collect();
        self.start = self.pos;
        text
    }

    /// Text and actions to the end of the template.
    pub(super) fn parse_text(&mut self) -> Result<Vec<Node>, String> {
        let mut nodes = Vec::new();
        loop {
            if self.starts_with("{") {
                if self.pos > self.start {
                    nodes.push(Node::Text(self.consume()));
                }
                self.pos += 1;
                self.consume();
                let mut action = Vec::new();
                self.inside_action(&mut action)?;
                nodes.push(Node::List(action));
                continue;
            }
            if self.next().is_none() {
                self.pos = self.chars.len();
                break;
            }
        }
        if self.pos > self.start {
            nodes.push(Node::Text(self.consume()));
        }
        Ok(nodes)
    }

    /// The rest of an action, up to its `}`.
    fn inside_action(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        loop {
            if self.starts_with("}") {
                self.pos += 1;
                self.consume();
                return Ok(());
            }
            if self.starts_with("[?(") {
                self.parse_filter(current)?;
                continue;
            }
            if self.starts_with("..") {
                self.pos += 2;
                self.consume();
                current.push(Node::Recursive);
                if self.peek().is_some_and(is_alphanumeric) {
                    self.parse_field(current);
                }
                continue;
            }
            match self.next() {
                None | Some('\n') | Some('\r') => return Err("unclosed action".into()),
                Some(' ') | Some('@') | Some('$') => {
                    self.consume();
                }
                Some('[') => self.parse_array(current)?,
                Some(quote @ ('"' | '\'')) => self.parse_quote(current, quote)?,
                Some('.') => self.parse_field(current),
                Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup();
                    self.parse_number(current)?;
                }
                Some(c) if is_alphanumeric(c) => {
                    self.backup();
                    self.parse_identifier(current)?;
                }
                Some(c) => return Err(format!("unrecognized character in action: U+{:04X} {c:?}", c as u32)),
            }
        }
    }

    /// `.name`: up to a terminator, a `\` escaping the next character.
    fn parse_field(&mut self, current: &mut Vec<Node>) {
        self.consume();
        while let Some(c) = self.next() {
            if c == '\\' {
                self.next();
            } else if is_terminator(c) {
                self.backup();
                break;
            }
        }
        self.pos = self.pos.min(self.chars.len());
        let name = self.consume();
        current.push(if name == "*" { Node::Wildcard } else { Node::Field(name.replace('\\', "")) });
    }

    fn parse_identifier(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        while self.peek().is_some_and(is_alphanumeric) {
            self.pos += 1;
        }
        let word = self.consume();
        current.push(match word.as_str() {
            "range" => Node::Range,
            "end" => Node::End,
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => return Err(format!("unrecognized identifier {word}")),
        });
        Ok(())
    }

    /// A number, up to a terminator: `.` is one, so kubectl reads `1.5` as 1 and a field `5`.
    fn parse_number(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.pos += 1;
        }
        while self.peek().is_some_and(|c| !is_terminator(c)) {
            self.pos += 1;
        }
        let text = self.consume();
        let digits = text.strip_prefix('+').unwrap_or(&text);
        if let Ok(n) = digits.parse::<i64>() {
            current.push(Node::Int(n));
        } else if let Ok(f) = digits.parse::<f64>() {
            current.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {text}"));
        }
        Ok(())
    }

    fn parse_quote(&mut self, current: &mut Vec<Node>, quote: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some('\\') if self.next().is_none() => return Err("unterminated quoted string".into()),
                Some(c) if c == quote => break,
                _ => {}
            }
        }
        let text = self.consume();
        let unquoted = unquote(&text).map_err(|e| format!("unquote string {text} error {e}"))?;
        current.push(Node::Text(unquoted));
        Ok(())
    }

    /// `[...]`: a union, a quoted key, or an index or slice.
    fn parse_array(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume();
        let mut inner = &text[1..text.len() - 1];
        if inner == "*" {
            inner = ":";
        }
        let parts: Vec<&str> = inner.split(',').collect();
        if parts.len() > 1 {
            let mut alternatives = Vec::new();
            for part in parts {
                let mut nodes = Vec::new();
                Parser::action(&format!("[{}]", part.trim_matches(' ')), &mut nodes)?;
                alternatives.push(nodes);
            }
            current.push(Node::Union(alternatives));
            return Ok(());
        }
        if let Some(key) = inner.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')).filter(|k| !k.contains('\'')) {
            // kubectl reads ['a.b'] as .a.b.
            return Parser::action(&format!(".{key}"), current);
        }
        current.push(Node::Array(slice_params(inner)?));
        Ok(())
    }

    /// `[?(...)]`: `left OP right`, or a path that must exist.
    fn parse_filter(&mut self, current: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let mut quote: Option<char> = None;
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(c @ ('"' | '\'')) => match quote {
                    None => quote = Some(c),
                    Some(q) if q == c => quote = None,
                    Some(_) => {}
                },
                Some(')') if quote.is_none() => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume();
        let text: String = text.chars().take(text.chars().count() - 2).collect();
        // `^([^!<>=]+)([!<>=]+)(.+?)$`
        let op_start = text.find(['!', '<', '>', '=']);
        match op_start.filter(|at| *at > 0) {
            Some(at) => {
                let op_len = text[at..].find(|c| !matches!(c, '!' | '<' | '>' | '=')).unwrap_or(text.len() - at);
                let (left, op, right) = (&text[..at], &text[at..at + op_len], &text[at + op_len..]);
                if right.is_empty() {
                    return Err(format!("unrecognized filter {text}"));
                }
                let (mut l, mut r) = (Vec::new(), Vec::new());
                Parser::action(left, &mut l)?;
                Parser::action(right, &mut r)?;
                current.push(Node::Filter { left: l, right: r, op: op.to_owned() });
            }
            None => {
                let mut l = Vec::new();
                Parser::action(&text, &mut l)?;
                current.push(Node::Filter { left: l, right: Vec::new(), op: "exists".into() });
            }
        }
        Ok(())
    }

    /// Parses `text` as the inside of an action (client-go's `parseAction`), appending its nodes.
    fn action(text: &str, current: &mut Vec<Node>) -> Result<(), String> {
        let mut parser = Parser { chars: format!("{{{text}}}").chars().collect(), pos: 0, start: 0 };
        let nodes = parser.parse_text()?;
        for node in nodes {
            match node {
                Node::List(inner) => current.extend(inner),
                other => current.push(other),
            }
        }
        Ok(())
    }
}

/// `^(-?\d*)(:-?\d*)?(:-?\d*)?$` into the three bounds.
fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let parts: Vec<&str> = text.split(':').collect();
    let number = |s: &str| s.strip_prefix('-').unwrap_or(s).bytes().all(|b| b.is_ascii_digit());
    if parts.len() > 3 || !parts.iter().all(|p| number(p)) {
        return Err(format!("invalid array index {text}"));
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match parts.get(i) {
            Some(part) if !part.is_empty() => {
                let value = part.parse().map_err(|_| format!("array index {part} is not a number"))?;
                params[i] = Param { value, known: true, derived: false };
            }
            // `[a:]`: the end is not known.
            Some(_) => {}
            // `[a]`: one item, the end derived from the start.
            None if i == 1 => params[1] = Param { value: params[0].value + 1, known: true, derived: true },
            None => {}
        }
    }
    Ok(params)
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn is_terminator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

/// A quoted string with Go's escapes (`strconv.Unquote`, single quotes allowed too).
fn unquote(text: &str) -> Result<String, String> {
    let invalid = || "invalid syntax".to_owned();
    let quote = text.chars().next().ok_or_else(invalid)?;
    if text.chars().count() < 2 || !text.ends_with(quote) || !matches!(quote, '"' | '\'') {
        return Err(invalid());
    }
    let inner: Vec<char> = text[1..text.len() - 1].chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let hex = |digits: &[char]| -> Result<u32, String> {
        let s: String = digits.iter().collect();
        if digits.iter().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(&s, 16).map_err(|_| invalid())
        } else {
            Err(invalid())
        }
    };
    while i < inner.len() {
        let c = inner[i];
        if c == quote {
            return Err(invalid());
        }
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let escape = *inner.get(i + 1).ok_or_else(invalid)?;
        i += 2;
        let simple = match escape {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            '\'' | '"' if escape == quote => Some(escape),
            _ => None,
        };
        if let Some(simple) = simple {
            out.push(simple);
            continue;
        }
        let (digits, radix_len) = match escape {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (3, 8),
            _ => return Err(invalid()),
        };
        let code = if radix_len == 8 {
            let run: Vec<char> = inner.get(i - 1..i + 2).ok_or_else(invalid)?.to_vec();
            i += 2;
            let s: String = run.iter().collect();
            if !run.iter().all(|c| ('0'..='7').contains(c)) {
                return Err(invalid());
            }
            u32::from_str_radix(&s, 8).map_err(|_| invalid())?
        } else {
            let run = inner.get(i..i + digits).ok_or_else(invalid)?;
            i += digits;
            hex(run)?
        };
        if escape == 'x' || radix_len == 8 {
            // A byte: kubectl's output is bytes, ours is text; bytes above 0x7f become U+FFFD.
            out.push(char::from_u32(code).filter(|_| code < 0x80).unwrap_or('\u{fffd}'));
        } else {
            out.push(char::from_u32(code).ok_or_else(invalid)?);
        }
    }
    Ok(out)
}
