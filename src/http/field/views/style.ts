// The worker's pages on top of the console's stylesheet (which already makes every target 44 px below 640 px):
// type a thumb reads in the sun, overdue marked by colour and a word, the form's parts as cards.
export const FIELD_STYLE = `
.field { font-size: 1rem; }
.field .tasks { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: .75rem; }
.field .tasks li.card { margin: 0; }
.field .tasks h2 { font-size: 1.1rem; margin: 0 0 .4rem; }
.field .tasks li.overdue { border-left: 6px solid #a61b1b; }
.field .overdue-tag { display: inline-block; background: #a61b1b; color: #fff; border-radius: .3rem; padding: .1rem .45rem; font-weight: 700; margin-left: .3rem; }
.field fieldset { border: 1px solid #cfd8d3; border-radius: .5rem; background: #fff; margin: 0 0 1rem; padding: .75rem 1rem; min-width: 0; }
.field legend { font-weight: 700; padding: 0 .3rem; }
.field input[type=text], .field input[type=date], .field select, .field textarea { width: 100%; font-size: 1rem; }
.field label.choice { font-weight: 400; display: flex; align-items: center; gap: .5rem; min-height: 44px; }
.field input[type=radio], .field input[type=checkbox] { width: 1.5rem; height: 1.5rem; flex: 0 0 auto; }
.field button, .field a.button { min-height: 44px; font-size: 1.05rem; }
.field button.primary { width: 100%; font-size: 1.15rem; padding: .7rem 1rem; }
.field .status { min-height: 1.5rem; }
.field .hint { font-size: 1rem; color: #3d4d47; margin: .2rem 0 .5rem; }
`;
