-- pandoc Lua filter for mapreport's Word files (run with the reference document templates/reference.docx):
-- a page break after the cover (the div with class "eia-cover") followed by a contents list of the report's
-- section headings with their page numbers (PAGEREF fields, which Word and LibreOffice compute), and tables
-- that take the full page width with each column's width set from what it holds.

local function xml_escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

local PAGE_BREAK = pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

local function field(code)
  return '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    .. '<w:r><w:instrText xml:space="preserve"> ' .. code .. ' </w:instrText></w:r>'
    .. '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>?</w:t></w:r>'
    .. '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
end

local function contents(entries)
  local blocks = {
    pandoc.RawBlock("openxml", '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>'),
  }
  for _, entry in ipairs(entries) do
    local style = entry.level <= 2 and "TOC1" or "TOC2"
    blocks[#blocks + 1] = pandoc.RawBlock(
      "openxml",
      '<w:p><w:pPr><w:pStyle w:val="' .. style .. '"/></w:pPr>'
        .. '<w:hyperlink w:anchor="' .. entry.id .. '"><w:r><w:t xml:space="preserve">'
        .. xml_escape(entry.text) .. "</w:t></w:r></w:hyperlink>"
        .. "<w:r><w:tab/></w:r>" .. field("PAGEREF " .. entry.id .. " \\h") .. "</w:p>"
    )
  end
  return blocks
end

-- A column's share of the width: enough for its longest word, more for long running text; code (hashes) is set
-- in a small monospace font and needs less.
local function column_weights(tbl)
  local longest, total, count = {}, {}, {}
  local function visit(row)
    for i, cell in ipairs(row.cells) do
      local text = pandoc.utils.stringify(cell.contents)
      local scale = 1
      pandoc.walk_block(pandoc.Div(cell.contents), {
        Code = function()
          scale = 0.9
        end,
      })
      local word = 0
      for w in text:gmatch("%S+") do
        word = math.max(word, utf8.len(w) or #w)
      end
      longest[i] = math.max(longest[i] or 0, word * scale)
      total[i] = (total[i] or 0) + (utf8.len(text) or #text) * scale
      count[i] = (count[i] or 0) + 1
    end
  end
  for _, row in ipairs(tbl.head.rows) do
    visit(row)
  end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      visit(row)
    end
  end
  local weights, sum = {}, 0
  for i = 1, #tbl.colspecs do
    local average = (total[i] or 0) / math.max(count[i] or 1, 1)
    weights[i] = math.max((longest[i] or 1) * 2 + 4, math.sqrt(average) * 4, 22)
    sum = sum + weights[i]
  end
  for i = 1, #weights do
    weights[i] = weights[i] / sum
  end
  return weights
end

function Table(tbl)
  local weights = column_weights(tbl)
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], weights[i] }
  end
  -- paragraphs in cells as compact text: no space above the first line of a cell
  return pandoc.walk_block(tbl, {
    Para = function(para)
      return pandoc.Plain(para.content)
    end,
  })
end

function Pandoc(doc)
  local entries, n = {}, 0
  doc = doc:walk({
    Header = function(h)
      if h.level == 2 or h.level == 3 then
        n = n + 1
        h.identifier = "mr_toc_" .. n
        entries[#entries + 1] = { level = h.level, id = h.identifier, text = pandoc.utils.stringify(h.content) }
      end
      return h
    end,
  })
  doc = doc:walk({
    Div = function(div)
      if div.classes:includes("eia-cover") then
        local blocks = { div, PAGE_BREAK }
        for _, block in ipairs(contents(entries)) do
          blocks[#blocks + 1] = block
        end
        blocks[#blocks + 1] = PAGE_BREAK
        return blocks
      end
    end,
  })
  return doc
end
